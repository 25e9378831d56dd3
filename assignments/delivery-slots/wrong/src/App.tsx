import { useEffect, useState } from "react";
import { fetchSchedule, type Schedule } from "./api";
import { SlotPicker } from "./SlotPicker";

type Loading = { state: "loading" } | { state: "failed" } | { state: "ready"; schedule: Schedule };

export function App() {
  const [load, setLoad] = useState<Loading>({ state: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoad({ state: "loading" });
    fetchSchedule(controller.signal).then(
      (schedule) => setLoad({ state: "ready", schedule }),
      () => {
        if (!controller.signal.aborted) {
          setLoad({ state: "failed" });
        }
      },
    );
    return () => controller.abort();
  }, [attempt]);

  return (
    <div className="page">
      <header className="page-header">
        <p className="page-header__step">Checkout · step 2 of 3</p>
        <h1>Choose a delivery slot</h1>
        {load.state === "ready" && (
          <p className="page-header__address">
            Delivering to <strong>{load.schedule.address}</strong>
          </p>
        )}
      </header>
      {load.state === "loading" && (
        <p className="notice" role="status">Loading delivery slots…</p>
      )}
      {load.state === "failed" && (
        <div className="notice notice--error">
          <p role="alert">We couldn't load the delivery slots.</p>
          <button type="button" className="button button--secondary"
            onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      )}
      {load.state === "ready" && <SlotPicker schedule={load.schedule} />}
    </div>
  );
}
