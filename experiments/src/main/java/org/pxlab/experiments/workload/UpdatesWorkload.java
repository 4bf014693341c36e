package org.pxlab.experiments.workload;

import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.serve.WrongAnswer;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * TechEmpower's updates test: each request reads N random rows of the shared {@code World}
 * table (see {@link WorldTable}), gives each a new random number, stores it into the shared
 * row (a write to a shared object, which releases the number it replaces), and answers the
 * updated rows as dicts.
 *
 * <pre>
 * for w in worlds:             # at set-up
 *     async.protect(w)
 *
 * def handler(request):
 *     result = []
 *     rid = request
 *     i = 0
 *     while i &lt; queries:
 *         rid = random_id(rid)
 *         w = worlds[rid - 1]
 *         number = random_id(rid + request)
 *         w.randomNumber = number
 *         result.append({"id": w.id, "randomNumber": number})
 *         i = i + 1
 *     return result
 * </pre>
 *
 * On {@code gil} the store is a plain {@code STORE_ATTR_SLOT} on the shared instance, and on
 * the configurations without a GIL it runs in the row's critical section. Under
 * {@code split-brain} a request runs in a parallel context, which may change a main object
 * only if it is protected: so the set-up protects every row, as PyParallel's users did
 * ({@code async.protect}, a no-op elsewhere), and each store takes the GIL and the row's lock
 * and copies the new number into the main heap (the number it replaces is released there).
 * Reads of a protected row ({@code w.id}) take its lock too. Other
 * workers may change the same rows at the same time, so the answer is checked only for what
 * the request itself knows: its rows' ids and the numbers it wrote (which it answers from
 * its own variable, not by reading the row back). The table does not return to its first
 * state. Options: {@code queries} (N, default 20), {@code rows} (default 10000), {@code seed}
 * (default 42).
 */
public final class UpdatesWorkload implements Workload {
    @Override
    public String name() {
        return "updates";
    }

    @Override
    public String description() {
        return "TechEmpower updates: N random rows (default 20) of the shared World table get new numbers (shared writes)";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        int queries = (int) parameters.longValue("queries", 20, 1, 500);
        WorldTable table = WorldTable.create(m, "updates_app", parameters);
        parameters.checkAllUsed();
        table.protectRows(m);
        // locals: request 0, result 1, rid 2, i 3, w 4, number 5
        long handler = m.define().function(table.module, "handler", 1, 6,
                new Object[] {0L, (long) queries, 1L, table.keysConstant()},
                new String[] {"random_id", "worlds", "append", "id", "randomNumber"}, WorldTable.rowsHandler(b -> {
                    b.loadGlobal(0, true);      //     number = random_id(rid + request)
                    b.loadFast(2);
                    b.loadFast(0);
                    b.binaryAddInt();
                    b.call(1);
                    b.storeFast(5);
                    b.loadFast(5);              //     w.randomNumber = number
                    b.loadFast(4);
                    b.storeAttr(4);
                    b.loadFast(1);              //     result.append({"id": w.id, "randomNumber": number})
                    b.loadMethod(2);
                    b.loadFast(4);
                    b.loadAttr(3);
                    b.loadFast(5);
                    b.loadConst(3);
                    b.buildConstKeyMap(2);
                    b.call(1);
                    b.popTop();
                }));
        return Service.of(handler, Service::numbered, (w, index, response) -> {
            Heap h = w.heap();
            if (h.kindOf(response) != TypeKind.LIST || h.lists().size(response) != queries) {
                throw new WrongAnswer("updates", index, "expected a list of " + queries + " rows");
            }
            long rid = index;
            for (int k = 0; k < queries; k++) {
                rid = table.randomId(rid);
                table.checkRow(h, "updates", index, h.lists().getItem(response, k), rid, table.randomId(rid + index));
            }
        });
    }
}
