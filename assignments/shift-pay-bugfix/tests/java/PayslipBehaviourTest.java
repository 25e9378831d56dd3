import com.kestrel.shiftpay.model.ClockedShift;
import com.kestrel.shiftpay.model.PayCode;
import com.kestrel.shiftpay.model.PayLine;
import com.kestrel.shiftpay.model.PayPeriod;
import com.kestrel.shiftpay.model.Payslip;
import com.kestrel.shiftpay.model.Worker;
import com.kestrel.shiftpay.pay.PayslipCalculator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What worked before the tickets and must keep working. */
class PayslipBehaviourTest {

    private static final Worker ANA = Payroll.worker("14.00");
    private static final Worker JONAS = new Worker("W-0502", "Jonas Berg", new BigDecimal("15.20"));
    private static final LocalDate JANUARY_13 = LocalDate.of(2025, 1, 13);

    @Test
    void onlyTheWorkersOwnShiftsAreOnTheirPayslip() {
        List<ClockedShift> export = List.of(
                Payroll.localShift(ANA, Payroll.HAMBURG, "2025-01-14T06:00", 480),
                Payroll.localShift(JONAS, Payroll.HAMBURG, "2025-01-15T06:00", 480));

        Payslip payslip = Payroll.payslip(ANA, JANUARY_13, export);

        assertEquals(List.of(LocalDate.of(2025, 1, 14)), payslip.lines().stream().map(PayLine::date).toList());
    }

    @Test
    void shiftBelongsToThePeriodOfItsLocalStartDate() {
        List<ClockedShift> export = List.of(
                Payroll.localShift(ANA, Payroll.HAMBURG, "2025-01-12T23:30", 240), // Sunday before: out
                Payroll.localShift(ANA, Payroll.HAMBURG, "2025-01-13T00:30", 240), // first Monday: in
                Payroll.localShift(ANA, Payroll.HAMBURG, "2025-01-26T23:30", 240), // last Sunday: in
                Payroll.localShift(ANA, Payroll.HAMBURG, "2025-01-27T00:30", 240)); // next Monday: out

        Payslip payslip = Payroll.payslip(ANA, JANUARY_13, export);

        assertEquals(List.of(LocalDate.of(2025, 1, 13), LocalDate.of(2025, 1, 26)),
                payslip.lines(PayCode.REGULAR).stream().map(PayLine::date).toList());
    }

    @Test
    void linesFollowClockInOrderWithOvertimeLast() {
        // Monday 15 to Friday 19 January 2024, nine hours a day, and two evening hours on Wednesday
        List<ClockedShift> export = new ArrayList<>();
        for (int day = 19; day >= 15; day--) { // exported newest first
            export.add(Payroll.localShift(ANA, Payroll.HAMBURG, "2024-01-" + day + "T06:00", 540));
        }
        export.add(Payroll.localShift(ANA, Payroll.HAMBURG, "2024-01-17T22:00", 120));

        Payslip payslip = Payroll.payslip(ANA, LocalDate.of(2024, 1, 15), export);

        assertEquals(List.of("REGULAR 2024-01-15", "REGULAR 2024-01-16", "REGULAR 2024-01-17",
                        "REGULAR 2024-01-17", "NIGHT_PREMIUM 2024-01-17", "REGULAR 2024-01-18",
                        "REGULAR 2024-01-19", "OVERTIME_PREMIUM 2024-01-15"),
                payslip.lines().stream().map(line -> line.code() + " " + line.date()).toList());
        assertEquals(420, Payroll.only(payslip, PayCode.OVERTIME_PREMIUM).minutes());
    }

    @Test
    void breakLongerThanTheDayPartComesOffTheNightPart() {
        // 21:00 to 06:00 with 90 minutes' break: one day hour, eight night hours
        ClockedShift shift = Payroll.shift(ANA, Payroll.HAMBURG, "2025-01-14T20:00:00Z", "2025-01-15T05:00:00Z", 90);

        Payslip payslip = Payroll.payslip(ANA, JANUARY_13, List.of(shift));

        assertEquals(450, Payroll.only(payslip, PayCode.REGULAR).minutes());
        assertEquals(450, Payroll.only(payslip, PayCode.NIGHT_PREMIUM).minutes());
    }

    @Test
    void nightWindowIsLocalTimeAtTheSite() {
        // 21:00 to 23:00 UTC in winter: 22:00 to 00:00 in Hamburg, 21:00 to 23:00 in Porto
        List<ClockedShift> export = List.of(
                Payroll.shift(ANA, Payroll.HAMBURG, "2025-01-14T21:00:00Z", "2025-01-14T23:00:00Z", 0),
                Payroll.shift(ANA, Payroll.PORTO, "2025-01-16T21:00:00Z", "2025-01-16T23:00:00Z", 0));

        Payslip payslip = Payroll.payslip(ANA, JANUARY_13, export);

        assertEquals(List.of(120, 60), payslip.lines(PayCode.NIGHT_PREMIUM).stream().map(PayLine::minutes).toList());
    }

    @Test
    void shiftAtAnUnknownSiteIsRefused() {
        ClockedShift shift = new ClockedShift("S-1", ANA.id(), "LIS-9", Instant.parse("2025-01-14T06:00:00Z"),
                Instant.parse("2025-01-14T14:00:00Z"), 0);
        PayslipCalculator calculator = new PayslipCalculator(Payroll.SITES);
        PayPeriod period = PayPeriod.fortnightStarting(JANUARY_13);

        assertThrows(IllegalArgumentException.class, () -> calculator.calculate(ANA, period, List.of(shift)));
    }

    @Test
    void shiftEndingBeforeItStartsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Payroll.shift(ANA, Payroll.HAMBURG,
                "2025-01-14T14:00:00Z", "2025-01-14T06:00:00Z", 0));
    }

    @Test
    void payPeriodIsTwoWeeksFromAMonday() {
        assertThrows(IllegalArgumentException.class,
                () -> new PayPeriod(LocalDate.of(2025, 1, 14), LocalDate.of(2025, 1, 27)));
        assertThrows(IllegalArgumentException.class,
                () -> new PayPeriod(JANUARY_13, LocalDate.of(2025, 1, 19)));
        assertEquals(LocalDate.of(2025, 1, 26), PayPeriod.fortnightStarting(JANUARY_13).last());
    }

    @Test
    void emptyPeriodHasAZeroTotal() {
        Payslip payslip = Payroll.payslip(ANA, JANUARY_13, List.of());

        assertEquals(List.of(), payslip.lines());
        assertEquals(new BigDecimal("0.00"), payslip.total());
    }
}
