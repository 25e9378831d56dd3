package com.kestrel.shiftpay.model;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/** A worker's gross pay for one period, line by line. */
public record Payslip(Worker worker, PayPeriod period, List<PayLine> lines) {

    public Payslip {
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(period, "period");
        lines = List.copyOf(lines);
    }

    /** The gross total: the sum of the lines' amounts. */
    public BigDecimal total() {
        return lines.stream().map(PayLine::amount).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
    }

    public List<PayLine> lines(PayCode code) {
        return lines.stream().filter(line -> line.code() == code).toList();
    }

    /** Minutes on the lines of one code, e.g. all paid minutes for {@link PayCode#REGULAR}. */
    public int minutes(PayCode code) {
        return lines(code).stream().mapToInt(PayLine::minutes).sum();
    }
}
