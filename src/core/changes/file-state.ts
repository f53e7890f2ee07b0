/** A file's state as tools and the change ledger see it (no imports: tools and the ledger both use it). */

/** A file's current text and its precondition state (`sha256:<hex>` of its bytes, or `absent`). */
export interface FileState {
  text: string | undefined;
  state: string;
}

/** The target state an edit was described (and maybe approved) against. */
export interface EditPrecondition {
  /** {@link ToolCallDescription.precondition} of the description shown. */
  state: string;
  /** The user approved the change on a card (the refusal then says so). */
  approved: boolean;
}
