// The delivery-slot data, as the slots service answers it. In this exercise the "service" is
// public/slots.json, copied into dist/ by the build and fetched relative to the page.

export interface Slot {
  id: string;
  /** "08:00", local time at the delivery address */
  start: string;
  end: string;
  /** the delivery fee in cents of the schedule's currency; 0 is free */
  fee: number;
  available: boolean;
}

export interface Day {
  /** a calendar date, "2024-06-04": no time, no time zone */
  date: string;
  slots: Slot[];
}

export interface Schedule {
  address: string;
  /** ISO 4217 code, "EUR" */
  currency: string;
  days: Day[];
}

export async function fetchSchedule(signal?: AbortSignal): Promise<Schedule> {
  const response = await fetch("slots.json", { signal, headers: { Accept: "application/json" } });
  if (!response.ok) {
    throw new Error(`slots.json answered ${response.status}`);
  }
  return (await response.json()) as Schedule;
}
