package com.kestrel.shiftpay.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A shift worker on Kestrel's books, with the base hourly rate of their contract (euros, at most
 * two decimals).
 */
public record Worker(String id, String name, BigDecimal hourlyRate) {

    public Worker {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hourlyRate, "hourlyRate");
        if (hourlyRate.signum() <= 0) {
            throw new IllegalArgumentException("hourly rate must be positive: " + hourlyRate);
        }
        if (hourlyRate.stripTrailingZeros().scale() > 2) {
            throw new IllegalArgumentException("hourly rate has more than two decimals: " + hourlyRate);
        }
    }
}
