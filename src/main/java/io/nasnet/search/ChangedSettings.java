package io.nasnet.search;

import io.nasnet.child.ChildSettings;
import io.nasnet.config.ConfigException;
import io.nasnet.controller.Strategies;
import io.nasnet.controller.Strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Settings a continued search cannot take: the strategy's (a restored controller or population keeps
 * those of its checkpoint) and the child budget's (rewards at another budget are not comparable with the search's
 * earlier ones, and nothing trained before would be served from the cache). A run whose
 * configuration changed any of them is refused, naming each, instead of ignoring the change.
 */
final class ChangedSettings {

    private ChangedSettings() {
    }

    /** One changed key: what the search was made with and what the configuration says now. */
    record Change(String key, String before, String now, String consequence) {
        @Override
        public String toString() {
            return "nasnet." + key + ": " + before + " in the search, " + now + " in this run's configuration; "
                    + consequence;
        }
    }

    static final String STRATEGY = "not applied: the strategy continues with its checkpoint's settings";
    static final String BUDGET = "not applied: a reward at another child budget is not comparable with the search's "
            + "earlier ones, and no architecture trained before would be served from the cache";

    /** The changes between the restored strategy and last round's budget, and {@code config}. */
    static List<Change> of(SearchConfig config, Strategy restored, String lastBudget) {
        List<Change> out = new ArrayList<>();
        Strategies.changed(restored, config.strategies()).forEach((k, v) ->
                out.add(new Change(k, String.valueOf(v.get(0)), String.valueOf(v.get(1)), STRATEGY)));
        if (lastBudget != null && !lastBudget.equals(config.child().budgetKey())) {
            Map<String, String> was = budget(lastBudget);
            Map<String, String> now = budget(config.child().budgetKey());
            java.util.Set<String> keys = new java.util.TreeSet<>(was.keySet());
            keys.addAll(now.keySet());
            for (String k : keys) {
                if (!Objects.equals(was.get(k), now.get(k))) {
                    out.add(new Change(ChildSettings.BUDGET_KEYS.getOrDefault(k, "child." + k),
                            was.getOrDefault(k, "off"), now.getOrDefault(k, "off"), BUDGET));
                }
            }
        }
        return out;
    }

    /** Refuses a run whose configuration changed what the search keeps, saying how to go on. */
    static void refuse(String searchId, List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        throw new ConfigException("search '" + searchId + "' cannot continue with changed settings:\n  - "
                + String.join("\n  - ", changes.stream().map(Change::toString).toList())
                + "\nTo continue the search, set these keys back as the search had them. To search with the new "
                + "settings, start a new search instead: --search-id " + searchId + "-2 (nasnet.search.id); "
                + "the history table keeps both.");
    }

    /** "n=1,f=8,..." as a map. */
    private static Map<String, String> budget(String key) {
        Map<String, String> m = new TreeMap<>();
        for (String part : key.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return m;
    }
}
