package org.pxlab.runtime.discipline;

import java.util.List;

/**
 * The increfs and decrefs each mutator operation emits, per modelled CPython version: the
 * table the README prints and {@code DisciplineScenarios} (with its three test classes) checks the mutator against.
 *
 * <p>Sources: CPython 3.12's {@code Python/bytecodes.c} (abbreviated bc), the object
 * implementations it calls ({@code Objects/*.c}), and {@code Include/internal/pycore_frame.h}
 * for frames. Terms: see {@link OpTraffic}. Since 3.12 an incref or decref of an immortal
 * object changes nothing, but CPython still makes the call and so does pxlab; the table
 * counts calls.
 */
public final class ReferenceDiscipline {
    private ReferenceDiscipline() {}

    private static final List<OpTraffic> V3_12 = List.of(
            new OpTraffic("LOAD_FAST", "loadFast", "+1 value", "", "bc LOAD_FAST"),
            new OpTraffic("STORE_FAST", "storeFast", "-1 old", "value into the local", "bc STORE_FAST; SETLOCAL"),
            new OpTraffic("LOAD_CONST", "loadConst", "+1 const", "", "bc LOAD_CONST"),
            new OpTraffic("POP_TOP", "popTop", "-1 value", "", "bc POP_TOP"),
            new OpTraffic("LOAD_GLOBAL_MODULE", "loadGlobal", "+1 value", "dicts untouched; NULL push free",
                    "bc LOAD_GLOBAL_MODULE"),
            new OpTraffic("LOAD_GLOBAL_BUILTIN", "loadGlobal", "+1 value", "dicts untouched", "bc LOAD_GLOBAL_BUILTIN"),
            new OpTraffic("STORE_GLOBAL (new name)", "storeGlobal", "+1 name; +1 value; -1 value", "",
                    "bc STORE_GLOBAL; dictobject.c PyDict_SetItem"),
            new OpTraffic("STORE_GLOBAL (name bound)", "storeGlobal", "+1 name; +1 value; -1 old; -1 name; -1 value",
                    "the dict keeps its key object", "bc STORE_GLOBAL; dictobject.c PyDict_SetItem, insertdict"),
            new OpTraffic("LOAD_ATTR_INSTANCE_VALUE / _SLOT", "loadAttr", "+1 attr; -1 owner", "",
                    "bc LOAD_ATTR_INSTANCE_VALUE, LOAD_ATTR_SLOT"),
            new OpTraffic("LOAD_ATTR_WITH_HINT", "loadAttr", "+1 attr; -1 owner", "", "bc LOAD_ATTR_WITH_HINT"),
            new OpTraffic("LOAD_ATTR_MODULE", "loadAttr", "+1 attr; -1 owner", "", "bc LOAD_ATTR_MODULE"),
            new OpTraffic("LOAD_ATTR_METHOD_WITH_VALUES", "loadMethod", "+1 function", "self stays on the stack",
                    "bc LOAD_ATTR_METHOD_WITH_VALUES (Py_NewRef(descr))"),
            new OpTraffic("STORE_ATTR_INSTANCE_VALUE / _SLOT", "storeAttr", "-1 old; -1 owner", "value into the slot",
                    "bc STORE_ATTR_INSTANCE_VALUE, STORE_ATTR_SLOT"),
            new OpTraffic("STORE_ATTR_WITH_HINT", "storeAttr", "-1 old; -1 owner", "value into the dict entry",
                    "bc STORE_ATTR_WITH_HINT"),
            new OpTraffic("BINARY_SUBSCR_LIST_INT", "binarySubscr", "+1 item; -1 index; -1 container", "",
                    "bc BINARY_SUBSCR_LIST_INT"),
            new OpTraffic("BINARY_SUBSCR_DICT", "binarySubscr", "+1 value; -1 container; -1 key", "",
                    "bc BINARY_SUBSCR_DICT"),
            new OpTraffic("STORE_SUBSCR_LIST_INT", "storeSubscr", "-1 old; -1 index; -1 container", "value into the list",
                    "bc STORE_SUBSCR_LIST_INT"),
            new OpTraffic("STORE_SUBSCR_DICT (new key)", "storeSubscr", "-1 container", "key and value into the dict",
                    "bc STORE_SUBSCR_DICT; _PyDict_SetItem_Take2"),
            new OpTraffic("STORE_SUBSCR_DICT (key present)", "storeSubscr", "-1 old; -1 key; -1 container",
                    "value into the entry; the stored key stays", "bc STORE_SUBSCR_DICT; insertdict"),
            new OpTraffic("DELETE_SUBSCR (dict)", "deleteSubscr", "-1 stored_key; -1 old; -1 container; -1 key", "",
                    "bc DELETE_SUBSCR; delitem_common"),
            new OpTraffic("BUILD_TUPLE / BUILD_LIST", "buildTuple, buildList", "", "the items into the new container",
                    "bc BUILD_TUPLE, BUILD_LIST (_FromArraySteal)"),
            new OpTraffic("BUILD_MAP", "buildMap", "+1 key; +1 value; -1 key; -1 value", "",
                    "bc BUILD_MAP; _PyDict_FromItems"),
            new OpTraffic("BUILD_CONST_KEY_MAP", "buildConstKeyMap", "+1 key; +1 value; -1 value; -1 keys",
                    "the keys come from a constant tuple", "bc BUILD_CONST_KEY_MAP; dictobject.c _PyDict_FromItems"),
            new OpTraffic("CALL_PY_EXACT_ARGS (push)", "call", "+1 code", "callable into f_funcobj; args into locals",
                    "bc CALL_PY_EXACT_ARGS; pycore_frame.h _PyFrame_Initialize"),
            new OpTraffic("RETURN_VALUE (pop)", "returnValue", "-1 local; -1 function; -1 code", "result to the caller",
                    "bc RETURN_VALUE; frame.c _PyFrame_ClearExceptCode; ceval.c clear_thread_frame"),
            new OpTraffic("CALL_BOUND_METHOD_EXACT_ARGS", "call", "+1 self; +1 function; -1 method", "then as CALL_PY_EXACT_ARGS",
                    "bc CALL_BOUND_METHOD_EXACT_ARGS"),
            new OpTraffic("CALL_BUILTIN_O / _FAST (len)", "call", "-1 arg; -1 callable", "arguments borrowed by the C function",
                    "bc CALL_BUILTIN_O, CALL_BUILTIN_FAST"),
            new OpTraffic("CALL_NO_KW_METHOD_DESCRIPTOR_FAST (dict.get)", "call",
                    "+1 result; -1 arg; -1 self; -1 callable", "arguments borrowed; +1 result is dict.get's Py_NewRef",
                    "bc CALL_NO_KW_METHOD_DESCRIPTOR_FAST; dictobject.c dict_get_impl"),
            new OpTraffic("CALL_NO_KW_METHOD_DESCRIPTOR_* (str.join, str.encode, str.startswith)", "call",
                    "-1 arg; -1 self; -1 callable", "arguments borrowed; the result is a new object (or an immortal bool)",
                    "bc CALL_NO_KW_METHOD_DESCRIPTOR_FAST, _NOARGS, _O"),
            new OpTraffic("CALL_NO_KW_LIST_APPEND", "call", "-1 self; -1 callable", "the argument into the list",
                    "bc CALL_NO_KW_LIST_APPEND (_PyList_AppendTakeRef)"),
            new OpTraffic("Python function called from C (_PyEval_Vector)", "callFunction (from Java)",
                    "+1 function; +1 arg; +1 code", "then RETURN_VALUE releases the frame; the result goes to the C caller",
                    "call.c _PyFunction_Vectorcall; ceval.c _PyEval_Vector, _PyEvalFramePushAndInit"),
            new OpTraffic("_bisect.bisect_left, one probe (C)", "native bisect_left", "+1 item; -1 item",
                    "the comparison borrows", "_bisectmodule.c internal_bisect_left (PySequence_GetItem, Py_DECREF)"),
            new OpTraffic("a list or dict freed (tp_dealloc)", "(a count reaching 0)", "-1 item",
                    "each item, key and value the container held is released",
                    "listobject.c list_dealloc; dictobject.c dict_dealloc, free_keys_object"),
            new OpTraffic("CALL of a class (type_call, __init__ returning None)", "call",
                    "+1 type; +1 init; +1 init; +1 code; +1 instance; +1 arg; +1 none; -1 instance; -1 arg; -1 init; -1 code;"
                            + " -1 none; -1 init; -1 arg; -1 type",
                    "the new instance to the caller",
                    "typeobject.c type_call, slot_tp_init; object.h _PyObject_Init (+1 heap type); call.c _PyEval_Vector"),
            new OpTraffic("GET_ITER (list)", "getIter", "+1 list; -1 list", "the iterator holds the list",
                    "bc GET_ITER; listobject.c list_iter"),
            new OpTraffic("FOR_ITER_LIST (next)", "forIter", "+1 item", "", "bc FOR_ITER_LIST"),
            new OpTraffic("FOR_ITER_LIST (exhausted)", "forIter", "-1 list; -1 iterator", "", "bc FOR_ITER_LIST"),
            new OpTraffic("GET_ITER (dict)", "getIter", "+1 dict; -1 dict", "the iterator holds the dict",
                    "bc GET_ITER; dictobject.c dict_iter"),
            new OpTraffic("FOR_ITER (dict keys, next)", "forIter", "+1 key", "", "bc FOR_ITER; dictobject.c dictiter_iternextkey"),
            new OpTraffic("FOR_ITER (dict keys, exhausted)", "forIter", "-1 dict; -1 iterator", "",
                    "bc FOR_ITER; dictobject.c dictiter_iternextkey"),
            new OpTraffic("JUMP_BACKWARD", "jumpBackward", "", "an eval-breaker check: where the GIL may change hands",
                    "bc JUMP_BACKWARD (CHECK_EVAL_BREAKER)"),
            new OpTraffic("POP_JUMP_IF_FALSE / _TRUE (bool)", "popTruth", "", "the bool is immortal; 3.12 releases only non-bools",
                    "bc POP_JUMP_IF_FALSE, POP_JUMP_IF_TRUE"),
            new OpTraffic("BINARY_OP_ADD_INT / COMPARE_OP_INT", "binaryAddInt, compareLessInt", "-1 left; -1 right",
                    "result: a cached immortal small int or bool, not increfed", "bc BINARY_OP_ADD_INT, COMPARE_OP_INT;"
                            + " _Py_DECREF_SPECIALIZED"),
            new OpTraffic("BINARY_OP_ADD_FLOAT (new float)", "binaryAddFloat", "-1 left; -1 right",
                    "result: a new float (neither input had a count of 1)", "bc BINARY_OP_ADD_FLOAT; DECREF_INPUTS_AND_REUSE_FLOAT"),
            new OpTraffic("BINARY_OP_ADD_FLOAT (left reused)", "binaryAddFloat", "-1 right",
                    "the sum is written into left, whose count was 1; left becomes the result",
                    "bc BINARY_OP_ADD_FLOAT; DECREF_INPUTS_AND_REUSE_FLOAT"),
            new OpTraffic("BINARY_OP_ADD_UNICODE", "binaryAddStr", "-1 left; -1 right", "result: a new str",
                    "bc BINARY_OP_ADD_UNICODE"),
            new OpTraffic("BINARY_OP_SUBTRACT_INT / _MULTIPLY_INT", "binarySubtractInt, binaryMultiplyInt", "-1 left; -1 right",
                    "result: a new int, or a cached immortal small int, not increfed",
                    "bc BINARY_OP_SUBTRACT_INT, BINARY_OP_MULTIPLY_INT; _Py_DECREF_SPECIALIZED"),
            new OpTraffic("BINARY_OP (int %, //)", "binaryOp", "-1 left; -1 right",
                    "not specialised in 3.12; result: a new int, or a cached immortal small int (get_small_int takes no reference)",
                    "bc BINARY_OP (DECREF_INPUTS); longobject.c long_mod, long_div"),
            new OpTraffic("STORE_SUBSCR (a byte into a blob, as bytearray)", "storeSubscr", "-1 value; -1 container; -1 index",
                    "the byte is copied; nothing keeps the int",
                    "bc STORE_SUBSCR (generic: PyObject_SetItem, DECREF_INPUTS); bytearrayobject.c bytearray_ass_subscript"),
            new OpTraffic("CALL_NO_KW_STR_1 (an int)", "call", "-1 arg; -1 callable", "result: a new str",
                    "bc CALL_NO_KW_STR_1; object.c PyObject_Str; longobject.c long_to_decimal_string"),
            new OpTraffic("CALL_NO_KW_METHOD_DESCRIPTOR_NOARGS (list.copy)", "call", "+1 item; -1 self; -1 callable",
                    "the new list holds each item", "bc CALL_NO_KW_METHOD_DESCRIPTOR_NOARGS; listobject.c list_copy_impl, list_slice"),
            new OpTraffic("list.pop (C), items remain", "native list.pop", "", "the item moves from the list to the caller",
                    "listobject.c list_pop_impl, list_resize"),
            new OpTraffic("list.pop (C), the only item", "native list.pop", "+1 item; -1 item",
                    "the item moves to the caller; _list_clear releases the list's reference and frees its block",
                    "listobject.c list_pop_impl, _list_clear"),
            new OpTraffic("CALL list.sort(key=f), one item (f's frame aside)", "call",
                    "+1 function; +1 item; +1 code; -1 key; +1 none; -1 function; -1 self; -1 callable",
                    "f(item) is called from C (_PyEval_Vector) and its result, the key, kept until the sort ends; pxlab passes"
                            + " key= positionally (KW_NAMES emits nothing; CALL releases it as an argument)",
                    "bc KW_NAMES, CALL_METHOD_DESCRIPTOR_FAST_WITH_KEYWORDS; listobject.c list_sort_impl; ceval.c _PyEval_Vector"),
            new OpTraffic("list.sort (C), one comparison (unsafe_object_compare)", "native list.sort", "-1 result",
                    "str keys not all 1-byte, or int keys past one 30-bit digit; the bool result came without a reference"
                            + " (Py_RETURN_TRUE)", "listobject.c unsafe_object_compare; unicodeobject.c PyUnicode_RichCompare"),
            new OpTraffic("list.sort (C), one comparison (unsafe_latin_compare / _long_compare)", "native list.sort", "",
                    "1-byte str keys or one-digit int keys compare in C, with no object",
                    "listobject.c unsafe_latin_compare, unsafe_long_compare"),
            new OpTraffic("_html.escape (C), nothing to escape", "native escape", "+1 s",
                    "the same str comes back; with something to escape, a new str and no traffic",
                    "markupsafe _speedups.c escape_unicode; unicodeobject.c unicode_result_unchanged (html.escape's str.replace)"),
            new OpTraffic("_collections._count_elements (C), a counted key", "native count_elements",
                    "+1 list; +1 key; +1 key; +1 value; -1 old; -1 key; -1 value; -1 key; -1 list; -1 iterator",
                    "the new count is a new int (or a cached small int)",
                    "_collectionsmodule.c _collections__count_elements_impl; dictobject.c _PyDict_SetItem_KnownHash, insertdict;"
                            + " listobject.c listiter_next"),
            new OpTraffic("_collections._count_elements (C), a new key", "native count_elements",
                    "+1 list; +1 key; +1 key; +1 one; -1 key; -1 list; -1 iterator", "the dict keeps the key and the immortal 1",
                    "_collectionsmodule.c _collections__count_elements_impl; dictobject.c _PyDict_SetItem_KnownHash;"
                            + " listobject.c listiter_next"));

    /** The table for a version. */
    public static List<OpTraffic> table(PythonVersion version) {
        if (version != PythonVersion.V3_12) {
            throw new IllegalArgumentException("no reference-discipline table for CPython " + version.label()
                    + " yet; implemented: " + PythonVersion.implementedLabels());
        }
        return V3_12;
    }

    /** The row for a bytecode form. */
    public static OpTraffic row(PythonVersion version, String bytecode) {
        return table(version).stream().filter(r -> r.bytecode().equals(bytecode)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no row " + bytecode));
    }

    /** The table as Markdown, as the README carries it. */
    public static String markdown(PythonVersion version) {
        StringBuilder out = new StringBuilder();
        out.append("| CPython ").append(version.label()).append(" bytecode | pxlab operation | increfs / decrefs | moved, not counted | source |\n");
        out.append("|---|---|---|---|---|\n");
        for (OpTraffic r : table(version)) {
            out.append("| `").append(r.bytecode()).append("` | `").append(r.operation()).append("` | ")
                    .append(r.traffic().isEmpty() ? "none" : r.traffic()).append(" | ")
                    .append(r.moves().isEmpty() ? "" : r.moves()).append(" | ").append(r.source()).append(" |\n");
        }
        return out.toString();
    }
}
