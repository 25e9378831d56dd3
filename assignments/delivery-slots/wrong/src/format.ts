import type { Day, Slot } from "./api";

/** "Tue 4 Jun" */
export const shortDay = (iso: string): string =>
  new Date(iso).toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short" });
/** "Tuesday 4 June" */
export const longDay = (iso: string): string =>
  new Date(iso).toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long" });

/** "10:00–12:00", with an en dash */
export const timeRange = (slot: Slot): string => `${slot.start}–${slot.end}`;

/** "€2.99", or "Free" */
export function fee(cents: number, currency: string): string {
  if (cents === 0) {
    return "Free";
  }
  return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(cents / 100);
}

export const openSlots = (day: Day): number => day.slots.filter((slot) => slot.available).length;

/** "4 slots left", "1 slot left", "Fully booked" */
export function slotsLeft(day: Day): string {
  const open = openSlots(day);
  if (open === 0) {
    return "Fully booked";
  }
  return open === 1 ? "1 slot left" : `${open} slots left`;
}
