package com.kestrel.shiftpay.io;

import com.kestrel.shiftpay.model.ClockedShift;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the clock terminals' nightly CSV export:
 *
 * <pre>
 * shift_id,worker_id,site_id,clock_in,clock_out,break_minutes
 * S-88120,W-0417,HAM-2,2024-10-26T20:00:00Z,2024-10-27T05:00:00Z,30
 * </pre>
 *
 * Clock times are UTC instants (ISO 8601 with {@code Z}); the terminals have exported them so
 * since firmware 3.2. Blank lines are skipped.
 */
public final class ShiftExportReader {

    static final String HEADER = "shift_id,worker_id,site_id,clock_in,clock_out,break_minutes";

    public List<ClockedShift> read(Reader source) throws IOException {
        BufferedReader reader = new BufferedReader(source);
        String header = reader.readLine();
        if (header == null || !header.strip().equals(HEADER)) {
            throw new ExportFormatException(1, "expected the header " + HEADER);
        }
        List<ClockedShift> shifts = new ArrayList<>();
        int number = 1;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            shifts.add(parse(number, line));
        }
        return shifts;
    }

    private static ClockedShift parse(int number, String line) {
        String[] fields = line.split(",", -1);
        if (fields.length != 6) {
            throw new ExportFormatException(number, "expected 6 fields, found " + fields.length);
        }
        try {
            return new ClockedShift(fields[0].strip(), fields[1].strip(), fields[2].strip(),
                    Instant.parse(fields[3].strip()), Instant.parse(fields[4].strip()),
                    Integer.parseInt(fields[5].strip()));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new ExportFormatException(number, e.getMessage(), e);
        }
    }
}
