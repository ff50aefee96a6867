package io.pushgate.reliability.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The kernel's view of a loopback TCP connection ({@code /proc/net/tcp}), read without touching
 * the socket: whether the gateway's end of a connection has been closed even though the client,
 * which does not read, has not seen the FIN yet.
 */
public final class TcpTable {

    /** A few of the kernel's states (include/net/tcp_states.h). */
    public static final String ESTABLISHED = "01";
    public static final String GONE = "--";

    private TcpTable() {
    }

    /**
     * The state of the socket whose local end is 127.0.0.1:{@code localPort} and remote end
     * 127.0.0.1:{@code remotePort}, as the two-digit hex code of {@code /proc/net/tcp}
     * ({@code 01} established, {@code 04} FIN_WAIT1, {@code 08} CLOSE_WAIT...), or {@link #GONE}.
     */
    public static String state(int localPort, int remotePort) {
        String local = String.format(Locale.ROOT, "0100007F:%04X", localPort);
        String remote = String.format(Locale.ROOT, "0100007F:%04X", remotePort);
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/tcp"));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[1].equals(local) && f[2].equals(remote)) {
                    return f[3];
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return GONE;
    }
}
