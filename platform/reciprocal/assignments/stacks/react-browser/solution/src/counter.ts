/** How many characters people see in `text`: an emoji is one, not two UTF-16 units. */
export function characterCount(text: string): number {
  return Array.from(text).length;
}

/** What the counter under the message box says for `text` (see the README). */
export function counterText(text: string, limit: number): string {
  const left = limit - characterCount(text);
  const count = Math.abs(left);
  const noun = count === 1 ? "character" : "characters";
  return left >= 0 ? `${count} ${noun} left` : `${count} ${noun} too many`;
}
