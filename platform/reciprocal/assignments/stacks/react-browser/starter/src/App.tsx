import { useState } from "react";
import { counterText } from "./counter";

const LIMIT = 280;

// The page starts here. See README.md for what it should do.
export function App() {
  const [text, setText] = useState("");
  return (
    <main className="page">
      <h1>Send a message</h1>
      <label htmlFor="message">Message</label>
      <textarea
        id="message"
        rows={5}
        value={text}
        onChange={(event) => setText(event.target.value)}
        aria-describedby="counter"
      />
      <p id="counter" className="counter" aria-live="polite">
        {counterText(text, LIMIT)}
      </p>
    </main>
  );
}
