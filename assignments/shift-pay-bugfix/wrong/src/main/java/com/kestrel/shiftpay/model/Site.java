package com.kestrel.shiftpay.model;

import java.time.ZoneId;
import java.util.Objects;

/** A client site our workers clock in at. Its clock terminals record instants; the site's zone says what they mean locally. */
public record Site(String id, String name, ZoneId zone) {

    public Site {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(zone, "zone");
    }
}
