// How the team panel words where the sync stands.
import type { TeamStatusDto } from "./bindings";
import { count } from "./plural";

/** "3 s ago", "4 min ago", "2 h ago"; "just now" under five seconds. */
export function ago(then: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 5) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return `${Math.floor(seconds / 3600)} h ago`;
}

function waiting(outbox: number): string {
  return `${count(outbox, "change")} waiting`;
}

/** The status line: synced when, offline, failed, the changes not sent
 * and those the server refused for good. */
export function syncLine(status: TeamStatusDto, now: number, error: string | null = null): string {
  const waitingPart = status.outbox > 0 ? ` · ${waiting(status.outbox)}` : "";
  const refused = status.rejected.length > 0 ? ` · ${count(status.rejected.length, "change")} refused` : "";
  const unsent = waitingPart + refused;
  if (status.offline) return `Offline${unsent}`;
  const failure = error ?? status.last_error;
  if (failure) return `Sync failed: ${failure}${unsent}`;
  if (status.synced_at === null) return `Syncing…${unsent}`;
  return `Synced ${ago(status.synced_at, now)}${unsent}`;
}

/** Where the sync stands, for the line kept in sight at the sidebar's top. */
export interface TeamSummary {
  team: string;
  /** The status line, as the team panel words it. */
  line: string;
  /** Offline, failing, or with changes the server refused. */
  trouble: boolean;
}
