/**
 * The note aid: flags clinical or stigmatizing wording in a note and suggests person-first,
 * peer-voice alternatives. Pure and dependency-free (the web runs it as the coach types; the
 * server runs it on save to decide whether a note goes to review). The word lists are data.
 * (Filled in by the ED/note-aid work.)
 */
export interface NoteFlag {
  /** The words as found in the note. */
  found: string;
  /** Where in the note (character offsets). */
  start: number;
  end: number;
  /** Suggested wording, in the note's language. */
  suggestions: string[];
  /** Why: 'clinical' (not the peer's role) or 'stigmatizing'. */
  reason: 'clinical' | 'stigmatizing';
}

export function checkNoteLanguage(_text: string, _lang: 'en' | 'es'): NoteFlag[] {
  return [];
}
