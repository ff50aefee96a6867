package io.pushgate.gateway.transport;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The browser origins allowed to open sessions ({@code gateway.security.allowed-origins}). */
public final class OriginCheck {

    private final boolean any;
    private final Set<String> allowed;

    public OriginCheck(List<String> origins) {
        this.any = origins.isEmpty() || origins.contains("*");
        this.allowed = origins.stream().map(o -> o.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /**
     * Throws PERMISSION_DENIED when a browser page from an unlisted origin asks for a session;
     * {@code origin} is the request's Origin header, null for a request that is not a browser's.
     */
    public void check(String origin) {
        if (any || origin == null || allowed.contains(origin.trim().toLowerCase(Locale.ROOT))) {
            return;
        }
        throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "pages from " + origin + " may not open sessions on this gateway");
    }
}
