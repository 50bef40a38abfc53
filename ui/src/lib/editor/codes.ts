// Inline codes in the editor: F9 puts the next code the English lacks at
// the caret (around the selection, for a paired code), Ctrl+F9 every code
// it lacks, in the Italian's order.
import { insertAllCodes, insertNextCode, type Inserted } from "../codes";
import type { Segment } from "../types";
import type { EditorHost } from "./host";

export class CodesController {
  /** Where the caret goes in a segment's English once its field shows the
   * inserted code. */
  private caret: { segmentId: number; at: number } | null = null;
  private host: EditorHost;

  constructor(host: EditorHost) {
    this.host = host;
  }

  private get active(): Segment | undefined {
    return this.host.activeId === null ? undefined : this.host.find(this.host.activeId);
  }

  /** F9: the next code the English lacks at `start`…`end` (the selection;
   * at the end when not given). */
  insertNext(start?: number, end?: number): void {
    const segment = this.active;
    if (!segment) return;
    const from = start ?? segment.target.length;
    this.apply(segment, insertNextCode(segment.source, segment.target, from, end ?? from));
  }

  /** Ctrl+F9: every code the English lacks at `at` (at the end when not
   * given); what the English has stays. */
  insertAll(at?: number): void {
    const segment = this.active;
    if (!segment) return;
    this.apply(segment, insertAllCodes(segment.source, segment.target, at ?? segment.target.length));
  }

  /** Where the caret goes in `segmentId`'s field after its English changed
   * (null: the field's default), asked once. */
  takeCaret(segmentId: number): number | null {
    const caret = this.caret;
    this.caret = null;
    return caret?.segmentId === segmentId ? caret.at : null;
  }

  /** Puts the caret at `at` in `segmentId`'s English once its field shows
   * the change the caller is about to make. */
  caretAfterEdit(segmentId: number, at: number): void {
    this.caret = { segmentId, at };
  }

  private apply(segment: Segment, inserted: Inserted | null): void {
    if (!inserted) return;
    this.caret = { segmentId: segment.id, at: inserted.caret };
    this.host.edit(segment.id, inserted.text);
  }
}
