import com.kestrel.shiftpay.model.ClockedShift;
import com.kestrel.shiftpay.model.PayCode;
import com.kestrel.shiftpay.model.PayLine;
import com.kestrel.shiftpay.model.PayPeriod;
import com.kestrel.shiftpay.model.Payslip;
import com.kestrel.shiftpay.model.Site;
import com.kestrel.shiftpay.model.SiteDirectory;
import com.kestrel.shiftpay.model.Worker;
import com.kestrel.shiftpay.pay.PayslipCalculator;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The fixtures of the hidden checks: Kestrel's sites, a worker, shifts and payslips. */
final class Payroll {

    static final Site HAMBURG = new Site("HAM-2", "Hamburg Billbrook DC", ZoneId.of("Europe/Berlin"));
    static final Site PORTO = new Site("OPO-1", "Porto Maia cross-dock", ZoneId.of("Europe/Lisbon"));
    static final SiteDirectory SITES = SiteDirectory.of(HAMBURG, PORTO);

    private static final AtomicInteger IDS = new AtomicInteger(90_000);

    private Payroll() {
    }

    static Worker worker(String hourlyRate) {
        return new Worker("W-0417", "Ana Duarte", new BigDecimal(hourlyRate));
    }

    /** A shift as the terminal exports it: UTC instants. */
    static ClockedShift shift(Worker worker, Site site, String clockIn, String clockOut, int breakMinutes) {
        return new ClockedShift("S-" + IDS.incrementAndGet(), worker.id(), site.id(), Instant.parse(clockIn),
                Instant.parse(clockOut), breakMinutes);
    }

    /** A shift that starts at a wall-clock time at the site and lasts {@code minutes} (no break). */
    static ClockedShift localShift(Worker worker, Site site, String localStart, int minutes) {
        Instant start = LocalDateTime.parse(localStart).atZone(site.zone()).toInstant();
        return new ClockedShift("S-" + IDS.incrementAndGet(), worker.id(), site.id(), start,
                start.plus(Duration.ofMinutes(minutes)), 0);
    }

    static Payslip payslip(Worker worker, LocalDate periodMonday, List<ClockedShift> shifts) {
        return new PayslipCalculator(SITES).calculate(worker, PayPeriod.fortnightStarting(periodMonday), shifts);
    }

    static PayLine only(Payslip payslip, PayCode code) {
        List<PayLine> lines = payslip.lines(code);
        if (lines.size() != 1) {
            throw new AssertionError("expected one " + code + " line, found " + payslip.lines());
        }
        return lines.get(0);
    }

    /** Money compared as a number (3.525 equals 3.5250), for rates. */
    static boolean sameNumber(String expected, BigDecimal actual) {
        return actual != null && new BigDecimal(expected).compareTo(actual) == 0;
    }
}
