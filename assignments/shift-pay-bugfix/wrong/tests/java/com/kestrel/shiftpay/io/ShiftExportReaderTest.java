package com.kestrel.shiftpay.io;

import com.kestrel.shiftpay.model.ClockedShift;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ShiftExportReaderTest {

    private final ShiftExportReader reader = new ShiftExportReader();

    @Test
    void readsTheTerminalsExport() throws IOException {
        String export = """
                shift_id,worker_id,site_id,clock_in,clock_out,break_minutes
                S-88120,W-0417,HAM-2,2024-10-26T20:00:00Z,2024-10-27T05:00:00Z,30

                S-88121,W-0502,OPO-1,2024-10-28T07:00:00Z,2024-10-28T15:30:00Z,30
                """;

        List<ClockedShift> shifts = reader.read(new StringReader(export));

        assertEquals(List.of(
                new ClockedShift("S-88120", "W-0417", "HAM-2", Instant.parse("2024-10-26T20:00:00Z"),
                        Instant.parse("2024-10-27T05:00:00Z"), 30),
                new ClockedShift("S-88121", "W-0502", "OPO-1", Instant.parse("2024-10-28T07:00:00Z"),
                        Instant.parse("2024-10-28T15:30:00Z"), 30)), shifts);
    }

    @Test
    void refusesAnExportWithoutItsHeader() {
        ExportFormatException e = assertThrows(ExportFormatException.class,
                () -> reader.read(new StringReader("S-1,W-1,HAM-2,2024-10-26T20:00:00Z,2024-10-27T05:00:00Z,0\n")));
        assertEquals(1, e.line());
    }

    @Test
    void namesTheLineOfAClockTimeItCannotRead() {
        String export = """
                shift_id,worker_id,site_id,clock_in,clock_out,break_minutes
                S-1,W-1,HAM-2,2024-10-26T20:00:00Z,2024-10-27T05:00:00Z,0
                S-2,W-1,HAM-2,2024-10-27 20:00,2024-10-28T05:00:00Z,0
                """;

        ExportFormatException e = assertThrows(ExportFormatException.class,
                () -> reader.read(new StringReader(export)));
        assertEquals(3, e.line());
    }
}
