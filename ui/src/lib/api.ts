// Typed access to the desktop shell's commands; components never call invoke.
import { invoke } from "@tauri-apps/api/core";
import type {
  DocumentSummary,
  DocumentView,
  IpcError,
  MergeResult,
  Segment,
  Status,
  WorkspaceInfo,
} from "./types";

export const api = {
  workspaceInfo: () => invoke<WorkspaceInfo>("workspace_info"),
  listDocuments: () => invoke<DocumentSummary[]>("list_documents"),
  importFile: (path: string) => invoke<DocumentSummary>("import_file", { path }),
  importSample: () => invoke<DocumentSummary>("import_sample"),
  openDocument: (docId: number) => invoke<DocumentView>("open_document", { docId }),
  deleteDocument: (docId: number) => invoke<void>("delete_document", { docId }),
  saveTarget: (docId: number, segmentId: number, target: string, status: Status) =>
    invoke<Segment>("save_target", { docId, segmentId, target, status }),
  setBlockTranslatable: (docId: number, block: number, translatable: boolean) =>
    invoke<DocumentView>("set_block_translatable", { docId, block, translatable }),
  splitSegment: (docId: number, segmentId: number, position: number) =>
    invoke<DocumentView>("split_segment", { docId, segmentId, position }),
  mergeSegment: (docId: number, segmentId: number) =>
    invoke<MergeResult>("merge_segment", { docId, segmentId }),
  addException: (abbreviation: string) => invoke<void>("add_exception", { abbreviation }),
};

export type Api = typeof api;

/** A readable message for whatever a command threw. */
export function errorMessage(error: unknown): string {
  if (typeof error === "object" && error !== null && "message" in error) {
    return String((error as IpcError).message);
  }
  return String(error);
}
