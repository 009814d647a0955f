/**
 * The search history made visible: an offline HTML page with XChart PNG charts (reward per round,
 * strategies compared at equal budget, op choices over rounds) and the best cells drawn as in the
 * paper's figures, as SVG and as Graphviz DOT. Reads {@link io.nasnet.history.HistoryRecord}s only.
 */
package io.nasnet.report;
