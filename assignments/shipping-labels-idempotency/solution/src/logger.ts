/** A structured logger: one JSON line per entry, as our log shipper expects. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const jsonLogger: Logger = {
  info: (message, fields) => process.stdout.write(line("info", message, fields)),
  error: (message, fields) => process.stderr.write(line("error", message, fields)),
};

export const silentLogger: Logger = {
  info: () => undefined,
  error: () => undefined,
};

function line(level: string, message: string, fields?: Record<string, unknown>): string {
  return JSON.stringify({ level, message, ...fields }) + "\n";
}
