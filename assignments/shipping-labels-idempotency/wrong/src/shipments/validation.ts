import { SERVICE_LEVELS, type Address, type Parcel, type ServiceLevel } from "./model";

export interface CreateShipmentInput {
  reference: string;
  service: ServiceLevel;
  to: Address;
  parcel: Parcel;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: string[] };

const MAX_WEIGHT_GRAMS = 31_500;
const MAX_SIDE_CM = 120;

/** Checks a POST /shipments body; every problem is reported, not just the first. */
export function parseCreateShipment(body: unknown): Validated<CreateShipmentInput> {
  const problems: string[] = [];
  if (!isObject(body)) {
    return { ok: false, problems: ["the body must be a JSON object"] };
  }

  const reference = text(body.reference, "reference", problems, 64);
  const service = body.service;
  if (!SERVICE_LEVELS.includes(service as ServiceLevel)) {
    problems.push(`service must be one of ${SERVICE_LEVELS.join(", ")}`);
  }

  let to: Address | undefined;
  if (!isObject(body.to)) {
    problems.push("to must be an object");
  } else {
    const name = text(body.to.name, "to.name", problems, 100);
    const line1 = text(body.to.line1, "to.line1", problems, 100);
    const line2 = body.to.line2 === undefined ? undefined : text(body.to.line2, "to.line2", problems, 100);
    const city = text(body.to.city, "to.city", problems, 60);
    const postalCode = text(body.to.postalCode, "to.postalCode", problems, 12);
    const country = body.to.country;
    if (typeof country !== "string" || !/^[A-Z]{2}$/.test(country)) {
      problems.push("to.country must be an ISO 3166-1 alpha-2 code such as NL");
    }
    to = { name, line1, ...(line2 === undefined ? {} : { line2 }), city, postalCode, country: String(country) };
  }

  let parcel: Parcel | undefined;
  if (!isObject(body.parcel)) {
    problems.push("parcel must be an object");
  } else {
    parcel = {
      weightGrams: whole(body.parcel.weightGrams, "parcel.weightGrams", problems, MAX_WEIGHT_GRAMS),
      lengthCm: whole(body.parcel.lengthCm, "parcel.lengthCm", problems, MAX_SIDE_CM),
      widthCm: whole(body.parcel.widthCm, "parcel.widthCm", problems, MAX_SIDE_CM),
      heightCm: whole(body.parcel.heightCm, "parcel.heightCm", problems, MAX_SIDE_CM),
    };
  }

  if (problems.length > 0 || !to || !parcel) {
    return { ok: false, problems };
  }
  return { ok: true, value: { reference, service: service as ServiceLevel, to, parcel } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown, field: string, problems: string[], maxLength: number): string {
  if (typeof value !== "string" || value.trim() === "") {
    problems.push(`${field} is required`);
    return "";
  }
  if (value.length > maxLength) {
    problems.push(`${field} must be at most ${maxLength} characters`);
  }
  return value.trim();
}

function whole(value: unknown, field: string, problems: string[], max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    problems.push(`${field} must be a whole number from 1 to ${max}`);
    return 0;
  }
  return value;
}
