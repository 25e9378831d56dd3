import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import type { Day, Schedule, Slot } from "./api";
import { fee, longDay, openSlots, shortDay, slotsLeft, timeRange } from "./format";

interface Choice {
  day: Day;
  slot: Slot;
}

type Focus = "tab" | "heading" | "choice" | null;

export function SlotPicker({ schedule }: { schedule: Schedule }) {
  const { days, currency } = schedule;
  const [dayIndex, setDayIndex] = useState(() =>
    Math.max(0, days.findIndex((day) => openSlots(day) > 0)));
  const [choice, setChoice] = useState<Choice | null>(null);
  const [missing, setMissing] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [focus, setFocus] = useState<Focus>(null);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const heading = useRef<HTMLHeadingElement>(null);
  const chosenRadio = useRef<HTMLInputElement>(null);

  // Focus moves after the render that shows its target.
  useEffect(() => {
    if (focus === "tab") tabs.current[dayIndex]?.focus();
    if (focus === "heading") heading.current?.focus();
    if (focus === "choice") chosenRadio.current?.focus();
    setFocus(null);
  }, [focus, dayIndex]);

  const day = days[dayIndex];

  function selectDay(index: number) {
    setDayIndex((index + days.length) % days.length);
    setFocus("tab");
  }

  function onTabKey(event: KeyboardEvent<HTMLDivElement>) {
    const moves: Record<string, number> = {
      ArrowRight: dayIndex + 1, ArrowLeft: dayIndex - 1, Home: 0, End: days.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      selectDay(moves[event.key]);
    }
  }

  function choose(slot: Slot) {
    setChoice({ day, slot });
    setMissing(false);
  }

  function confirm() {
    if (choice === null) {
      setMissing(true);
      return;
    }
    setConfirmed(true);
    setFocus("heading");
  }

  function change() {
    if (choice !== null) {
      setDayIndex(days.indexOf(choice.day));
    }
    setConfirmed(false);
    setFocus("choice");
  }

  if (confirmed && choice !== null) {
    return (
      <main className="layout layout--single">
        <section className="card confirmation" aria-labelledby="confirmation-title">
          <h2 id="confirmation-title" ref={heading} tabIndex={-1}>Delivery booked</h2>
          <p>
            We'll deliver to {schedule.address} on {longDay(choice.day.date)} between{" "}
            {choice.slot.start} and {choice.slot.end}.
          </p>
          <p className="confirmation__fee">Delivery fee: {fee(choice.slot.fee, currency)}</p>
          <button type="button" className="button button--secondary" onClick={change}>
            Change slot
          </button>
        </section>
      </main>
    );
  }

  return (
    <main className="layout">
      <section className="card picker">
        <div className="days" role="tablist" aria-label="Delivery day" onKeyDown={onTabKey}>
          {days.map((d, index) => {
            const selected = index === dayIndex;
            return (
              <button
                key={d.date}
                ref={(element) => { tabs.current[index] = element; }}
                type="button"
                role="tab"
                id={`day-${d.date}`}
                className="day"
                aria-selected={selected}
                aria-controls="day-panel"
                tabIndex={selected ? 0 : -1}
                onClick={() => setDayIndex(index)}
              >
                <span className="day__name">{shortDay(d.date)}</span>
                <span className="day__left">{slotsLeft(d)}</span>
              </button>
            );
          })}
        </div>
        <div className="panel" role="tabpanel" id="day-panel" aria-labelledby={`day-${day.date}`}>
          {openSlots(day) === 0 ? (
            <p className="panel__empty">
              Every slot on {longDay(day.date)} is booked. Please choose another day.
            </p>
          ) : (
            <fieldset className="slots" aria-describedby={missing ? "slot-error" : undefined}>
              <legend>Time slots on {longDay(day.date)}</legend>
              <div className="slots__grid">
                {day.slots.map((slot) => {
                  const checked = choice?.slot.id === slot.id;
                  return (
                    <label key={slot.id} className="slot">
                      <input
                        type="radio"
                        name="slot"
                        value={slot.id}
                        checked={checked}
                        disabled={!slot.available}
                        ref={checked ? chosenRadio : undefined}
                        onChange={() => choose(slot)}
                      />
                      <span className="slot__time">{timeRange(slot)}</span>
                      <span className="slot__fee">
                        {slot.available ? fee(slot.fee, currency) : "Full"}
                      </span>
                    </label>
                  );
                })}
              </div>
            </fieldset>
          )}
        </div>
      </section>
      <aside className="card summary" aria-labelledby="summary-title">
        <h2 id="summary-title">Your delivery</h2>
        <div className="summary__status" role="status">
          {choice === null ? (
            <p className="summary__empty">No slot chosen yet.</p>
          ) : (
            <>
              <p className="summary__when">
                {longDay(choice.day.date)}, {timeRange(choice.slot)}
              </p>
              <p className="summary__fee">Delivery fee: {fee(choice.slot.fee, currency)}</p>
            </>
          )}
        </div>
        {missing && (
          <p id="slot-error" className="error" role="alert">Choose a time slot to continue.</p>
        )}
        <button type="button" className="button button--primary" onClick={confirm}>
          Confirm slot
        </button>
      </aside>
    </main>
  );
}
