package org.pxlab.runtime.discipline;

import java.util.Arrays;
import java.util.List;

/**
 * The CPython version (and build) whose reference discipline a configuration follows: which
 * {@code Py_INCREF}/{@code Py_DECREF} calls each bytecode emits. Only implemented versions
 * can be chosen; the others are listed so that an error can say what exists.
 */
public enum PythonVersion {
    /** CPython 3.12, default build: PEP 683 immortal objects, specialised bytecodes, a {@code PyObject*} stack. */
    V3_12("3.12", false, true),
    /** CPython 3.13, default build. */
    V3_13("3.13", false, false),
    /** CPython 3.13t, free-threaded; specialisation off. */
    V3_13T("3.13t", true, false),
    /** CPython 3.14, default build: tagged stack references. */
    V3_14("3.14", false, false),
    /** CPython 3.14t, free-threaded. */
    V3_14T("3.14t", true, false);

    private final String label;
    private final boolean freeThreaded;
    private final boolean implemented;

    PythonVersion(String label, boolean freeThreaded, boolean implemented) {
        this.label = label;
        this.freeThreaded = freeThreaded;
        this.implemented = implemented;
    }

    /** As users write it: {@code 3.12}, {@code 3.14t}. */
    public String label() {
        return label;
    }

    public boolean freeThreaded() {
        return freeThreaded;
    }

    /** Whether pxlab's mutator implements this version's discipline yet. */
    public boolean implemented() {
        return implemented;
    }

    /** The labels of the implemented versions. */
    public static List<String> implementedLabels() {
        return Arrays.stream(values()).filter(PythonVersion::implemented).map(PythonVersion::label).toList();
    }
}
