//! The index must return exactly what the exhaustive scan returns.

use super::{Candidate, TmIndex};

struct Rng(u64);

impl Rng {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}

fn words(rng: &mut Rng, vocab: u64) -> Vec<String> {
    let n = 1 + rng.next(30) as usize;
    (0..n)
        .map(|_| {
            // A skewed distribution: a few very common tokens, a long tail.
            let r = rng.next(vocab);
            format!("w{}", r * r / vocab)
        })
        .collect()
}

fn sorted(mut c: Vec<Candidate>) -> Vec<Candidate> {
    c.sort();
    c
}

#[test]
fn search_equals_exhaustive_scan() {
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let mut index = TmIndex::new();
    let mut units = Vec::new();
    for id in 0..3000 {
        let mut unit = words(&mut rng, 300);
        // Near duplicates of earlier units, as real memories have.
        if id % 3 == 0 && !units.is_empty() {
            let base: &Vec<String> = &units[rng.next(units.len() as u64) as usize];
            unit = base.clone();
            let at = rng.next(unit.len() as u64) as usize;
            unit[at] = format!("x{}", rng.next(50));
        }
        index.insert(id, &unit).unwrap();
        units.push(unit);
    }
    index.remove(7);
    let mut n_found = 0;
    for q in 0..400 {
        let query = if q % 2 == 0 {
            units[rng.next(units.len() as u64) as usize].clone()
        } else {
            words(&mut rng, 300)
        };
        for min_score in [0, 30, 50, 75, 90, 100] {
            let fast = sorted(index.search(&query, min_score));
            let slow = sorted(index.search_exhaustive(&query, min_score));
            assert_eq!(fast, slow, "query {query:?} at {min_score}");
            assert!(
                fast.iter().all(|c| c.id != 7),
                "removed units are never found"
            );
            n_found += fast.len();
        }
    }
    assert!(n_found > 1000, "the test must find matches: {n_found}");
}

/// Units and queries full of one very common token (as punctuation is in
/// formulas) and a few common ones: prefixes then hold the common tokens.
#[test]
fn frequent_tokens_in_prefixes_equal_exhaustive_scan() {
    let mut rng = Rng(0x0123_4567_89AB_CDEF);
    let mut index = TmIndex::new();
    let mut units = Vec::new();
    let mixed = |rng: &mut Rng| -> Vec<String> {
        let n = 1 + rng.next(24) as usize;
        (0..n)
            .map(|_| match rng.next(10) {
                0..=4 => "p".to_string(),
                5 | 6 => format!("c{}", rng.next(3)),
                _ => format!("w{}", rng.next(400)),
            })
            .collect()
    };
    for id in 0..4000 {
        let unit = mixed(&mut rng);
        index.insert(id, &unit).unwrap();
        units.push(unit);
    }
    let mut n_found = 0;
    for q in 0..300 {
        let query = if q % 3 == 0 {
            units[rng.next(units.len() as u64) as usize].clone()
        } else {
            mixed(&mut rng)
        };
        for min_score in [40, 50, 60, 75, 90] {
            let fast = sorted(index.search(&query, min_score));
            let slow = sorted(index.search_exhaustive(&query, min_score));
            assert_eq!(fast, slow, "query {query:?} at {min_score}");
            n_found += fast.len();
        }
    }
    assert!(n_found > 1000, "the test must find matches: {n_found}");
}

#[test]
fn long_queries_use_the_plain_distance() {
    let mut index = TmIndex::new();
    let long: Vec<String> = (0..100).map(|i| format!("t{i}")).collect();
    let mut variant = long.clone();
    variant[50] = "other".into();
    index.insert(1, &long).unwrap();
    index.insert(2, &variant).unwrap();
    let found = sorted(index.search(&long, 99));
    assert_eq!(
        found.iter().map(|c| (c.id, c.distance)).collect::<Vec<_>>(),
        [(1, 0), (2, 1)]
    );
}

/// Units sharing more tokens than a search's counts and positions hold
/// (255): the counts saturate without ruling a unit out.
#[test]
fn units_of_hundreds_of_tokens_equal_exhaustive_scan() {
    let mut rng = Rng(0x5151_7777_0000_2222);
    let mut index = TmIndex::new();
    let mut units = Vec::new();
    for id in 0..200 {
        let len = 200 + rng.next(500) as usize;
        let unit: Vec<String> = (0..len).map(|_| format!("w{}", rng.next(5000))).collect();
        index.insert(id, &unit).unwrap();
        units.push(unit);
    }
    let mut n_found = 0;
    for q in 0..40 {
        let mut query = units[q * 5].clone();
        for _ in 0..rng.next(query.len() as u64 / 3) {
            let at = rng.next(query.len() as u64) as usize;
            query[at] = format!("x{}", rng.next(100));
        }
        for min_score in [50, 75, 90] {
            let fast = sorted(index.search(&query, min_score));
            let slow = sorted(index.search_exhaustive(&query, min_score));
            assert_eq!(fast, slow, "query {q} at {min_score}");
            n_found += fast.len();
        }
    }
    assert!(n_found >= 60, "the test must find matches: {n_found}");
}

#[test]
fn unknown_tokens_and_empty_queries() {
    let mut index = TmIndex::new();
    index.insert(1, &["a", "b"]).unwrap();
    index.insert(2, &[] as &[&str]).unwrap();
    assert!(index.search(&["zz", "yy"], 50).is_empty());
    let empty = index.search(&[] as &[&str], 100);
    assert_eq!(empty.iter().map(|c| c.id).collect::<Vec<_>>(), [2]);
    index.insert(1, &["c"]).unwrap();
    assert_eq!(index.len(), 2);
    assert!(index.search(&["a", "b"], 50).is_empty(), "replaced unit");
}

#[test]
fn block_distance_agrees_with_plain_dp() {
    let mut rng = Rng(0xDEADBEEF12345);
    for _ in 0..300 {
        let n = 1 + rng.next(200) as usize;
        let m = rng.next(200) as usize;
        let query: Vec<String> = (0..n).map(|_| format!("t{}", rng.next(8))).collect();
        let unit: Vec<String> = (0..m).map(|_| format!("t{}", rng.next(8))).collect();
        let mut index = TmIndex::new();
        index.insert(1, &unit).unwrap();
        let found = index.search_exhaustive(&query, 0);
        let q: Vec<&str> = query.iter().map(String::as_str).collect();
        let u: Vec<&str> = unit.iter().map(String::as_str).collect();
        let expected = crate::text::score::levenshtein(&q, &u);
        assert_eq!(found[0].distance, expected, "n={n} m={m}");
    }
}

#[test]
fn index_file_round_trip() {
    let mut index = TmIndex::new();
    index.insert(10, &["a", "b", "c"]).unwrap();
    index.insert(11, &["a", "x", "x"]).unwrap();
    index.insert(12, &["q"]).unwrap();
    index.remove(12);
    let mut bytes = Vec::new();
    index.write_to(&mut bytes, 7).unwrap();
    let (mut again, generation) = TmIndex::read_from(&bytes[..]).unwrap();
    assert_eq!(generation, 7);
    assert_eq!(again.len(), 2);
    assert_eq!(again.max_id(), 12);
    for query in [&["a", "b", "c"][..], &["a", "x"], &["q"]] {
        for min in [0, 50, 100] {
            assert_eq!(
                sorted(again.search(query, min)),
                sorted(index.search(query, min))
            );
        }
    }
    // Truncated or foreign files are errors, not panics.
    for cut in [0, 5, 20, bytes.len() / 2, bytes.len() - 1] {
        assert!(TmIndex::read_from(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let mut corrupt = bytes.clone();
    corrupt[8..16].copy_from_slice(&[0xff; 8]);
    assert!(
        TmIndex::read_from(&corrupt[..]).is_ok(),
        "the stamp is data"
    );
    corrupt[0] = b'X';
    assert!(TmIndex::read_from(&corrupt[..]).is_err());
}

#[test]
fn tokens_beyond_the_one_word_code_round_trip() {
    let mut index = TmIndex::new();
    // 40,000 distinct tokens first, so later ones need two 16-bit words.
    for id in 0..2000 {
        let unit: Vec<String> = (0..20).map(|k| format!("f{}", id * 20 + k)).collect();
        index.insert(id, &unit).unwrap();
    }
    let late: Vec<String> = ["x1", "f5", "x2", "x3", "f39999", "x4"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    index.insert(9_000, &late).unwrap();
    let mut near = late.clone();
    near[2] = "x9".into();
    for min in [50, 75, 100] {
        assert_eq!(
            sorted(index.search(&near, min)),
            sorted(index.search_exhaustive(&near, min))
        );
    }
    let found = index.search(&late, 100);
    assert_eq!(
        found.iter().map(|c| (c.id, c.distance)).collect::<Vec<_>>(),
        [(9_000, 0)]
    );
    let mut bytes = Vec::new();
    index.write_to(&mut bytes, 1).unwrap();
    let (mut again, _) = TmIndex::read_from(&bytes[..]).unwrap();
    assert_eq!(again.search(&near, 50), index.search(&near, 50));
}

/// Units added in bulk give the index that adding them one by one gives,
/// into an empty index or one already holding units, across the points
/// where the order is taken anew (1024, 2048, 4096) and between them.
#[test]
fn bulk_insert_builds_the_same_index() {
    for (before, added) in [(0, 5000), (1500, 400), (3000, 2000)] {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D ^ added);
        let units: Vec<Vec<String>> = (0..before + added).map(|_| words(&mut rng, 500)).collect();
        let mut one_by_one = TmIndex::new();
        for (id, unit) in units.iter().enumerate() {
            one_by_one.insert(id as i64, unit).unwrap();
        }
        let mut in_bulk = TmIndex::new();
        for (id, unit) in units.iter().enumerate().take(before as usize) {
            in_bulk.insert(id as i64, unit).unwrap();
        }
        {
            let mut bulk = in_bulk.bulk();
            for (id, unit) in units.iter().enumerate().skip(before as usize) {
                bulk.insert(id as i64, unit).unwrap();
            }
        }
        let bytes = |index: &TmIndex| {
            let mut bytes = Vec::new();
            index.write_to(&mut bytes, 1).unwrap();
            bytes
        };
        assert!(
            bytes(&in_bulk) == bytes(&one_by_one),
            "{before} then {added}"
        );
        assert_eq!(in_bulk.postings, one_by_one.postings);
        let query = &units[7];
        assert_eq!(
            sorted(in_bulk.search(query, 50)),
            sorted(one_by_one.search(query, 50))
        );
    }
}

/// A unit added in bulk under an id the index already holds, from before
/// the bulk or from earlier in it, replaces that unit: searches find the
/// new text only, as the exhaustive scan does.
#[test]
fn bulk_insert_replaces_units_with_the_same_id() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut index = TmIndex::new();
    for id in 0..1500 {
        index.insert(id, &words(&mut rng, 300)).unwrap();
    }
    let mut latest: Vec<Vec<String>> = Vec::new();
    {
        let mut bulk = index.bulk();
        for id in 1500..3000 {
            let unit = words(&mut rng, 300);
            bulk.insert(id, &unit).unwrap();
            latest.push(unit);
        }
        // Ids from before the bulk, and from earlier in it.
        for id in (0..3000).step_by(7) {
            let unit = words(&mut rng, 300);
            bulk.insert(id, &unit).unwrap();
            if id >= 1500 {
                latest[id as usize - 1500] = unit;
            }
        }
    }
    assert_eq!(index.len(), 3000);
    for (i, query) in latest.iter().enumerate().step_by(50) {
        let fast = sorted(index.search(query, 50));
        assert_eq!(fast, sorted(index.search_exhaustive(query, 50)));
        assert!(fast
            .iter()
            .any(|c| c.id == 1500 + i as i64 && c.distance == 0));
    }
}
