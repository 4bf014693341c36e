package org.pxlab.experiments.workload;

import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.serve.WrongAnswer;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * TechEmpower's multiple-queries test: each request reads N random rows of the shared
 * {@code World} table (see {@link WorldTable}) and answers a list of them as dicts.
 *
 * <pre>
 * def handler(request):
 *     result = []
 *     rid = request
 *     i = 0
 *     while i &lt; queries:
 *         rid = random_id(rid)
 *         w = worlds[rid - 1]
 *         result.append({"id": w.id, "randomNumber": w.randomNumber})
 *         i = i + 1
 *     return result
 * </pre>
 *
 * Options: {@code queries} (N, default 20; TechEmpower asks for 1 to 500), {@code rows}
 * (default 10000), {@code seed} (default 42).
 */
public final class QueriesWorkload implements Workload {
    @Override
    public String name() {
        return "queries";
    }

    @Override
    public String description() {
        return "TechEmpower multiple queries: N random rows (default 20) of the shared World table, a list of dicts";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        int queries = (int) parameters.longValue("queries", 20, 1, 500);
        WorldTable table = WorldTable.create(m, "queries_app", parameters);
        parameters.checkAllUsed();
        // locals: request 0, result 1, rid 2, i 3, w 4
        long handler = m.define().function(table.module, "handler", 1, 5,
                new Object[] {0L, (long) queries, 1L, table.keysConstant()},
                new String[] {"random_id", "worlds", "append", "id", "randomNumber"}, WorldTable.rowsHandler(b -> {
                    b.loadFast(1);              //     result.append({"id": w.id, "randomNumber": w.randomNumber})
                    b.loadMethod(2);
                    b.loadFast(4);
                    b.loadAttr(3);
                    b.loadFast(4);
                    b.loadAttr(4);
                    b.loadConst(3);
                    b.buildConstKeyMap(2);
                    b.call(1);
                    b.popTop();
                }));
        return Service.of(handler, Service::numbered, (w, index, response) -> {
            Heap h = w.heap();
            if (h.kindOf(response) != TypeKind.LIST || h.lists().size(response) != queries) {
                throw new WrongAnswer("queries", index, "expected a list of " + queries + " rows");
            }
            long rid = index;
            for (int k = 0; k < queries; k++) {
                rid = table.randomId(rid);
                table.checkRow(h, "queries", index, h.lists().getItem(response, k), rid, table.randomNumbers[(int) rid - 1]);
            }
        });
    }
}
