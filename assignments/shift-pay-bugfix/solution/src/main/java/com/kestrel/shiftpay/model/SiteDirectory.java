package com.kestrel.shiftpay.model;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The sites we know, by id. */
public final class SiteDirectory {

    private final Map<String, Site> sites = new LinkedHashMap<>();

    public SiteDirectory(Collection<Site> sites) {
        for (Site site : sites) {
            if (this.sites.putIfAbsent(site.id(), site) != null) {
                throw new IllegalArgumentException("site " + site.id() + " listed twice");
            }
        }
    }

    public static SiteDirectory of(Site... sites) {
        return new SiteDirectory(List.of(sites));
    }

    /** The site with this id; an {@link IllegalArgumentException} if there is none. */
    public Site get(String id) {
        Site site = sites.get(id);
        if (site == null) {
            throw new IllegalArgumentException("unknown site " + id);
        }
        return site;
    }
}
