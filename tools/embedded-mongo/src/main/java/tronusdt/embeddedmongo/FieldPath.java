package tronusdt.embeddedmongo;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;

/** Reads a (dotted) field of a document the way a {@link SecondaryIndex} files it. */
final class FieldPath {

    /** Stands for "a value that cannot be read plainly": an array on the way to the last segment. */
    static final Object UNREADABLE = new Object();

    private FieldPath() {
    }

    /**
     * The strings an equality or prefix match on the field can meet: the value if it is a string, the string
     * elements if it is an array (MongoDB matches array elements), none for anything else (a number, a date,
     * null or a missing field never equals a string). Null when the path crosses an array before its last
     * segment: which element the query means is MongoDB's rule to apply, so such a document is always a
     * candidate.
     */
    static List<String> strings(Document document, String path) {
        Object value = plain(document, path);
        if (value == UNREADABLE) {
            return null;
        }
        if (value instanceof String string) {
            return List.of(string);
        }
        List<String> strings = new ArrayList<>();
        if (value instanceof List<?> elements) {
            for (Object element : elements) {
                if (element instanceof String string && !strings.contains(string)) {
                    strings.add(string);
                }
            }
        }
        return strings;
    }

    /** The value at the path through embedded documents; null when missing, {@link #UNREADABLE} past an array. */
    static Object plain(Document document, String path) {
        Object value = document;
        for (String segment : path.split("\\.")) {
            if (value instanceof Document embedded) {
                value = embedded.get(segment);
            } else if (value instanceof List<?>) {
                return UNREADABLE;
            } else {
                return null;
            }
        }
        return value;
    }
}
