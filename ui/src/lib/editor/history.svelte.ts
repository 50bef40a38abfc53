// Undo and redo: the steps, and how far back the translator has gone.
import type { Segment } from "../types";

/** A segment's English and status, as undo restores them. */
export interface SegmentState {
  target: string;
  status: Segment["status"];
}

/** One undoable step: typing in a segment, a confirmation, a replace-all. */
export interface Step {
  kind: "typing" | "confirmation" | "replacement";
  edits: { segmentId: number; before: SegmentState; after: SegmentState }[];
  /** Typing goes on into the same step until another segment or action. */
  open: boolean;
}

/** Puts states back into segments and saves them; with `moveOn`, the
 * cursor then goes past the first one, as Ctrl+Enter does. */
export type Restore = (states: { segmentId: number; state: SegmentState }[], moveOn?: boolean) => Promise<void>;

export class HistoryController {
  /** Whether undo and redo have something to do. */
  canUndo = $state(false);
  canRedo = $state(false);
  private done: Step[] = [];
  private undone: Step[] = [];
  private restore: Restore;

  constructor(restore: Restore) {
    this.restore = restore;
  }

  /** Forgets every step (another document, or segments that may be gone). */
  clear(): void {
    this.done = [];
    this.undone = [];
    this.canUndo = false;
    this.canRedo = false;
  }

  /** Adds a step to the history (typing in the same segment extends the
   * open step) and forgets what was undone. */
  record(edits: Step["edits"], kind: Step["kind"]): void {
    const last = this.done.at(-1);
    const typing = kind === "typing";
    if (typing && last?.open && last.edits.length === 1 && last.edits[0].segmentId === edits[0].segmentId) {
      last.edits[0].after = edits[0].after;
    } else {
      if (last) last.open = false;
      this.done.push({ kind, edits, open: typing });
    }
    this.undone = [];
    this.canUndo = true;
    this.canRedo = false;
  }

  /** Ctrl+Z: takes back the last typing, confirmation or replacement. */
  async undo(): Promise<void> {
    const step = this.done.pop();
    if (!step) return;
    this.undone.push(step);
    await this.restore(step.edits.map((e) => ({ segmentId: e.segmentId, state: e.before })));
    this.canUndo = this.done.length > 0;
    this.canRedo = true;
  }

  /** Ctrl+Y or Ctrl+Shift+Z: does again what was undone. */
  async redo(): Promise<void> {
    const step = this.undone.pop();
    if (!step) return;
    step.open = false;
    this.done.push(step);
    // A confirmation done again moves on as Ctrl+Enter did, so that the
    // next keystrokes do not land in the confirmed segment.
    await this.restore(
      step.edits.map((e) => ({ segmentId: e.segmentId, state: e.after })),
      step.kind === "confirmation",
    );
    this.canUndo = true;
    this.canRedo = this.undone.length > 0;
  }
}
