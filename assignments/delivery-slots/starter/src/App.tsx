import { useEffect, useState } from "react";
import { fetchSchedule, type Schedule } from "./api";

// The page starts here. See README.md for the specification and design/ for the mock-ups.
export function App() {
  const [schedule, setSchedule] = useState<Schedule | null>(null);

  useEffect(() => {
    fetchSchedule().then(setSchedule, (error) => console.error(error));
  }, []);

  return (
    <div className="page">
      <h1>Choose a delivery slot</h1>
      <p>{schedule === null ? "Loading…" : `${schedule.days.length} days of slots loaded.`}</p>
    </div>
  );
}
