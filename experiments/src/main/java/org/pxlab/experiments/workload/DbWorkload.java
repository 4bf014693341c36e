package org.pxlab.experiments.workload;

import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * TechEmpower's single-query test: each request reads one random row of the shared
 * {@code World} table (see {@link WorldTable}) and answers it as a dict, which a framework
 * would then serialise.
 *
 * <pre>
 * def handler(request):
 *     w = worlds[random_id(request) - 1]
 *     return {"id": w.id, "randomNumber": w.randomNumber}
 * </pre>
 *
 * The dict display of two constant keys compiles to {@code BUILD_CONST_KEY_MAP}. Options:
 * {@code rows} (default 10000), {@code seed} (default 42).
 */
public final class DbWorkload implements Workload {
    @Override
    public String name() {
        return "db";
    }

    @Override
    public String description() {
        return "TechEmpower single query: one random row of a shared 10,000-row World table, as a dict";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        WorldTable table = WorldTable.create(m, "db_app", parameters);
        parameters.checkAllUsed();
        long handler = m.define().function(table.module, "handler", 1, 2, new Object[] {1L, table.keysConstant()},
                new String[] {"worlds", "random_id", "id", "randomNumber"}, b -> {
                    b.loadGlobal(0, false);         // w = worlds[random_id(request) - 1]
                    b.loadGlobal(1, true);
                    b.loadFast(0);
                    b.call(1);
                    b.loadConst(0);
                    b.binarySubtractInt();
                    b.binarySubscr();
                    b.storeFast(1);
                    b.loadFast(1);                  // return {"id": w.id, "randomNumber": w.randomNumber}
                    b.loadAttr(2);
                    b.loadFast(1);
                    b.loadAttr(3);
                    b.loadConst(1);
                    b.buildConstKeyMap(2);
                    b.returnValue();
                });
        return Service.of(handler, Service::numbered, (w, index, response) -> {
            long id = table.randomId(index);
            table.checkRow(w.heap(), "db", index, response, id, table.randomNumbers[(int) id - 1]);
        });
    }
}
