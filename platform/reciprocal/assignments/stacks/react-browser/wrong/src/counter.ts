/** What the counter under the message box says for `text` (see the README). */
export function counterText(text: string, limit: number): string {
  const left = limit - text.length;
  return `${left} ${left === 1 ? "character" : "characters"} left`;
}
