// Typed access to the desktop shell's commands; components never call invoke.
// The commands, their arguments and results are generated from the Rust code
// (./bindings.ts, generated in the mode where a failing command rejects with
// its IpcError, as the components' catch blocks expect).
import { commands, events, type ErrorCode, type IpcError } from "./bindings";

/** Every command, under its generated (camelCase) name. */
export const api = commands;

export type Api = typeof api;

/** Calls `progress` with the share of a TMX file read (0–1) and the units stored. */
export function onTmxProgress(progress: (share: number, units: number) => void): Promise<() => void> {
  return events.tmxProgress.listen(({ payload }) => progress(payload.share, payload.units));
}

/** Calls `progress` with the segments done and in all during a machine-translation batch. */
export function onMtProgress(progress: (done: number, total: number) => void): Promise<() => void> {
  return events.mtProgress.listen(({ payload }) => progress(payload.done, payload.total));
}

/** The `code` of a command's error, if it has one. */
export function errorCode(error: unknown): ErrorCode | null {
  if (typeof error === "object" && error !== null && "code" in error) {
    return (error as IpcError).code;
  }
  return null;
}

/** A readable message for whatever a command threw. */
export function errorMessage(error: unknown): string {
  if (typeof error === "object" && error !== null && "message" in error) {
    return String((error as IpcError).message);
  }
  return String(error);
}
