/** What the counter under the message box says for `text` (see the README). */
export function counterText(text: string, limit: number): string {
  // TODO: count the characters of text.
  return `${limit} characters left`;
}
