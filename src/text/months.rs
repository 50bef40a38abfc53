//! Month names, Italian and English, for reading and writing dates.

/// Italian month names, lower case as Italian writes them.
pub const MONTHS_IT: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];
/// English month names.
pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The month (0 to 11) of an Italian month name.
pub fn month_index(name: &str) -> Option<usize> {
    MONTHS_IT.iter().position(|m| m.eq_ignore_ascii_case(name))
}
