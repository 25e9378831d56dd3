import com.kestrel.shiftpay.model.ClockedShift;
import com.kestrel.shiftpay.model.PayCode;
import com.kestrel.shiftpay.model.PayLine;
import com.kestrel.shiftpay.model.Payslip;
import com.kestrel.shiftpay.model.Worker;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PAY-212: shifts across a change of the clocks are paid the time actually worked. In 2024
 * Europe's clocks went forward at 01:00 UTC on 31 March and back at 01:00 UTC on 27 October.
 */
class ClockChangeTest {

    private static final Worker ANA = Payroll.worker("14.00");
    private static final LocalDate OCTOBER_21 = LocalDate.of(2024, 10, 21);
    private static final LocalDate MARCH_25 = LocalDate.of(2024, 3, 25);

    /** 22:00 summer time (UTC+2) to 06:00 winter time (UTC+1) in Hamburg: nine hours. */
    private static ClockedShift hamburgNightClocksGoBack(int breakMinutes) {
        return Payroll.shift(ANA, Payroll.HAMBURG, "2024-10-26T20:00:00Z", "2024-10-27T05:00:00Z", breakMinutes);
    }

    @Test
    void nightShiftWhenTheClocksGoBackIsPaidNineHours() {
        Payslip payslip = Payroll.payslip(ANA, OCTOBER_21, List.of(hamburgNightClocksGoBack(0)));

        PayLine regular = Payroll.only(payslip, PayCode.REGULAR);
        assertEquals(540, regular.minutes());
        assertEquals(LocalDate.of(2024, 10, 26), regular.date());
    }

    @Test
    void nightShiftWhenTheClocksGoBackEarnsNineNightHours() {
        Payslip payslip = Payroll.payslip(ANA, OCTOBER_21, List.of(hamburgNightClocksGoBack(0)));

        assertEquals(540, Payroll.only(payslip, PayCode.NIGHT_PREMIUM).minutes());
    }

    @Test
    void nightShiftWhenTheClocksGoForwardIsPaidSevenHours() {
        // 22:00 winter time (UTC+1) to 06:00 summer time (UTC+2) in Hamburg
        ClockedShift shift = Payroll.shift(ANA, Payroll.HAMBURG, "2024-03-30T21:00:00Z", "2024-03-31T04:00:00Z", 0);

        Payslip payslip = Payroll.payslip(ANA, MARCH_25, List.of(shift));

        assertEquals(420, Payroll.only(payslip, PayCode.REGULAR).minutes());
    }

    @Test
    void nightShiftWhenTheClocksGoForwardEarnsSevenNightHours() {
        ClockedShift shift = Payroll.shift(ANA, Payroll.HAMBURG, "2024-03-30T21:00:00Z", "2024-03-31T04:00:00Z", 0);

        Payslip payslip = Payroll.payslip(ANA, MARCH_25, List.of(shift));

        assertEquals(420, Payroll.only(payslip, PayCode.NIGHT_PREMIUM).minutes());
    }

    @Test
    void breakOnTheClockChangeNightComesOffTheNineHours() {
        Payslip payslip = Payroll.payslip(ANA, OCTOBER_21, List.of(hamburgNightClocksGoBack(30)));

        assertEquals(510, Payroll.only(payslip, PayCode.REGULAR).minutes());
        assertEquals(510, Payroll.only(payslip, PayCode.NIGHT_PREMIUM).minutes());
    }

    @Test
    void eveningShiftIntoTheRepeatedHourCountsItOnce() {
        // 18:00 summer time to the second 02:00 (winter time) in Hamburg: nine hours, of which
        // 22:00 summer time to 02:00 winter time, five hours, are night
        ClockedShift shift = Payroll.shift(ANA, Payroll.HAMBURG, "2024-10-26T16:00:00Z", "2024-10-27T01:00:00Z", 0);

        Payslip payslip = Payroll.payslip(ANA, OCTOBER_21, List.of(shift));

        assertEquals(540, Payroll.only(payslip, PayCode.REGULAR).minutes());
        assertEquals(300, Payroll.only(payslip, PayCode.NIGHT_PREMIUM).minutes());
    }

    @Test
    void portoNightWhenTheClocksGoBackIsNineHoursToo() {
        // 22:00 (UTC+1) to 06:00 (UTC+0) in Porto: the site's own zone
        ClockedShift shift = Payroll.shift(ANA, Payroll.PORTO, "2024-10-26T21:00:00Z", "2024-10-27T06:00:00Z", 0);

        Payslip payslip = Payroll.payslip(ANA, OCTOBER_21, List.of(shift));

        assertEquals(540, Payroll.only(payslip, PayCode.REGULAR).minutes());
        assertEquals(540, Payroll.only(payslip, PayCode.NIGHT_PREMIUM).minutes());
    }

    @Test
    void dayShiftOnTheClockChangeSundayIsEightHours() {
        // 08:00 to 16:00 winter time in Hamburg, hours after the change
        ClockedShift shift = Payroll.shift(ANA, Payroll.HAMBURG, "2024-10-27T07:00:00Z", "2024-10-27T15:00:00Z", 0);

        Payslip payslip = Payroll.payslip(ANA, OCTOBER_21, List.of(shift));

        assertEquals(480, Payroll.only(payslip, PayCode.REGULAR).minutes());
        assertTrue(payslip.lines(PayCode.NIGHT_PREMIUM).isEmpty());
    }

    @Test
    void clockChangeNightAmountsFollowTheNineHours() {
        Payslip payslip = Payroll.payslip(ANA, OCTOBER_21, List.of(hamburgNightClocksGoBack(0)));

        assertEquals(new BigDecimal("126.00"), Payroll.only(payslip, PayCode.REGULAR).amount());
        assertEquals(new BigDecimal("31.50"), Payroll.only(payslip, PayCode.NIGHT_PREMIUM).amount());
        assertEquals(new BigDecimal("157.50"), payslip.total());
    }

    @Test
    void extraHourOfTheClockChangeNightCountsTowardsOvertime() {
        // Monday to Thursday nights of eight hours (32), then the nine-hour night of Saturday
        ClockedShift[] week = {
            Payroll.shift(ANA, Payroll.HAMBURG, "2024-10-21T20:00:00Z", "2024-10-22T04:00:00Z", 0),
            Payroll.shift(ANA, Payroll.HAMBURG, "2024-10-22T20:00:00Z", "2024-10-23T04:00:00Z", 0),
            Payroll.shift(ANA, Payroll.HAMBURG, "2024-10-23T20:00:00Z", "2024-10-24T04:00:00Z", 0),
            Payroll.shift(ANA, Payroll.HAMBURG, "2024-10-24T20:00:00Z", "2024-10-25T04:00:00Z", 0),
            hamburgNightClocksGoBack(0),
        };

        Payslip payslip = Payroll.payslip(ANA, OCTOBER_21, List.of(week));

        PayLine overtime = Payroll.only(payslip, PayCode.OVERTIME_PREMIUM);
        assertEquals(60, overtime.minutes());
        assertEquals(OCTOBER_21, overtime.date());
    }
}
