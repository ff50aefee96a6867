package io.pushgate.gateway.timeseries;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies edits: from events as stored (originals and edits in seq order), the originals with
 * each one's latest edit applied. An edit whose original is not among the events is dropped
 * (its original is outside the range or no longer retained).
 */
public final class EditsView {

    private EditsView() {
    }

    public static List<TimeSeriesEvent> latestValues(List<TimeSeriesEvent> stored) {
        Map<Long, TimeSeriesEvent> originals = new LinkedHashMap<>();
        for (TimeSeriesEvent e : stored) {
            if (!e.isEdit()) {
                originals.put(e.seq(), e);
            }
        }
        for (TimeSeriesEvent e : stored) {
            if (e.isEdit()) {
                TimeSeriesEvent original = originals.get(e.editOf());
                if (original != null) {
                    originals.put(original.seq(), new TimeSeriesEvent(original.seq(), original.timeMillis(),
                            original.author(), e.value(), null));
                }
            }
        }
        return new ArrayList<>(originals.values());
    }
}
