package tronusdt.embeddedmongo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A non-unique index that queries use. mongo-java-server accepts such an index and ignores it, so every query
 * other than by a unique key scanned its whole collection: claiming the next due transfer, summing what a wallet
 * has in flight or counting a destination's payouts got slower with every transfer ever stored.
 *
 * Held in memory and rebuilt from the documents when the engine opens a stored database (mongo-java-server
 * fills an empty index from the collection when it adds it). It serves a query that pins the index's first
 * field to strings (`"v"`, `{$eq: "v"}`, `{$in: [...]}`) or to a literal prefix (`{$regex: "^abc..."}`), and
 * also narrows by a date range on a second field (`{createdAt: {$gte: t}}`), which is what the service's hot
 * queries do. Which index serves a query is chosen by {@link QueryPlanner}: the one with the fewest candidates.
 *
 * An index only proposes candidates; the collection still matches each one against the whole query. So a
 * needless candidate costs time, never a wrong answer, while a missing one would lose a match: a document
 * whose key this index cannot read plainly (an array on the way to a dotted field) is a candidate always.
 */
final class SecondaryIndex<P> extends Index<P> {

    private final QueryPlanner<P> planner;
    private final String firstField;
    private final String secondField;

    /** First-field string value to the documents holding it; String order, so a prefix is one range. */
    private final TreeMap<String, Bucket<P>> byValue = new TreeMap<>();
    /** Documents whose first field could not be read plainly: candidates for every query. */
    private final Set<P> unreadable = new LinkedHashSet<>();
    /** What each document was filed under, so that an update or removal undoes exactly that. */
    private final Map<P, Filed> filed = new HashMap<>();
    /** `_id` to position: removal is told the document, not its position. */
    private final Map<Object, P> positionById = new HashMap<>();

    /**
     * Always sparse to mongo-java-server: a document without a string in the first field cannot meet a query this
     * index serves, so it is not filed at all (its removal then finds nothing here, which only sparse allows).
     */
    SecondaryIndex(QueryPlanner<P> planner, String name, List<IndexKey> keys) {
        super(name, keys, true);
        this.planner = planner;
        this.firstField = keys.get(0).getKey();
        this.secondField = keys.size() > 1 ? keys.get(1).getKey() : null;
        planner.register(this);
    }

    /**
     * How many candidates this index would propose for the query, or -1 when it cannot serve it. Counting stops
     * once it passes `enough` (another index already offers that many), so a wide date range is not walked
     * just to lose.
     */
    synchronized long estimate(Document query, long enough) {
        Selection selection = Selection.of(query.get(firstField));
        if (selection == null) {
            return -1;
        }
        Range range = secondField == null ? null : Range.of(query.get(secondField));
        long count = unreadable.size();
        for (Bucket<P> bucket : buckets(selection)) {
            if (count > enough) {
                break;
            }
            count += bucket.count(range, enough - count);
        }
        return count;
    }

    @Override
    public boolean canHandle(Document query) {
        return planner.choose(query) == this;
    }

    @Override
    public synchronized Iterable<P> getPositions(Document query) {
        Selection selection = Selection.of(query.get(firstField));
        Range range = secondField == null ? null : Range.of(query.get(secondField));
        List<P> positions = new ArrayList<>(unreadable);
        for (Bucket<P> bucket : buckets(selection)) {
            bucket.collect(range, positions);
        }
        // The order a scan would have given, for queries without a sort (MongoDB promises none, callers may
        // still lean on it): memory positions are slots, H2 positions are the `_id` keys of its ordered map.
        positions.sort(ValueComparator.asc());
        return positions;
    }

    @Override
    public synchronized void add(Document document, P position, MongoCollection<P> collection) {
        Filed entry = Filed.of(document, firstField, secondField);
        if (entry.values != null && entry.values.isEmpty()) {
            return;
        }
        filed.put(position, entry);
        if (entry.id != null) {
            positionById.put(entry.id, position);
        }
        if (entry.values == null) {
            unreadable.add(position);
            return;
        }
        for (String value : entry.values) {
            byValue.computeIfAbsent(value, key -> new Bucket<>()).add(entry.second, position);
        }
    }

    @Override
    public synchronized P remove(Document document) {
        P position = positionById.get(document.get(ID_FIELD));
        if (position != null) {
            unfile(position);
        }
        return position;
    }

    @Override
    public synchronized void updateInPlace(Document oldDocument, Document newDocument, P position,
                                           MongoCollection<P> collection) {
        unfile(position);
        add(newDocument, position, collection);
    }

    /** The buckets of the values a selection allows. */
    private List<Bucket<P>> buckets(Selection selection) {
        List<Bucket<P>> buckets = new ArrayList<>();
        if (selection.values() != null) {
            for (String value : selection.values()) {
                Bucket<P> bucket = byValue.get(value);
                if (bucket != null) {
                    buckets.add(bucket);
                }
            }
            return buckets;
        }
        for (Map.Entry<String, Bucket<P>> entry : byValue.tailMap(selection.prefix(), true).entrySet()) {
            if (!entry.getKey().startsWith(selection.prefix())) {
                break;
            }
            buckets.add(entry.getValue());
        }
        return buckets;
    }

    private void unfile(P position) {
        Filed entry = filed.remove(position);
        if (entry == null) {
            return;
        }
        if (entry.id != null) {
            positionById.remove(entry.id);
        }
        if (entry.values == null) {
            unreadable.remove(position);
            return;
        }
        for (String value : entry.values) {
            Bucket<P> bucket = byValue.get(value);
            if (bucket != null && bucket.remove(entry.second, position)) {
                byValue.remove(value);
            }
        }
    }

    @Override
    public P getPosition(Document document) {
        // Positions come from the unique indexes (every collection has `_id`); null means "not mine to say".
        return null;
    }

    @Override
    public void checkAdd(Document document, MongoCollection<P> collection) {
        // Not unique: nothing to refuse.
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {
        // Not unique: nothing to refuse.
    }

    @Override
    public synchronized long getCount() {
        return filed.size();
    }

    @Override
    public long getDataSize() {
        return getCount();
    }

    @Override
    public synchronized void drop() {
        planner.unregister(this);
        byValue.clear();
        unreadable.clear();
        filed.clear();
        positionById.clear();
    }

    private static final String ID_FIELD = "_id";

    /** A document's `_id`, the strings it is filed under (null: unreadable) and its second-field date (or null). */
    private record Filed(Object id, List<String> values, Instant second) {

        static Filed of(Document document, String firstField, String secondField) {
            List<String> values = FieldPath.strings(document, firstField);
            Object second = secondField == null ? null : FieldPath.plain(document, secondField);
            return new Filed(document.get(ID_FIELD), values, second instanceof Instant instant ? instant : null);
        }
    }

    /** One first-field value's documents: by second-field date where they have one, the rest apart. */
    private static final class Bucket<P> {
        private final NavigableMap<Instant, Set<P>> byDate = new TreeMap<>();
        private final Set<P> undated = new LinkedHashSet<>();
        private int size;

        void add(Instant date, P position) {
            Set<P> set = date == null ? undated : byDate.computeIfAbsent(date, key -> new LinkedHashSet<>());
            if (set.add(position)) {
                size++;
            }
        }

        /** Removes one document; true when the bucket is then empty. */
        boolean remove(Instant date, P position) {
            Set<P> set = date == null ? undated : byDate.get(date);
            if (set != null && set.remove(position)) {
                size--;
                if (date != null && set.isEmpty()) {
                    byDate.remove(date);
                }
            }
            return size == 0;
        }

        int size() {
            return size;
        }

        /** How many {@link #collect} would give, counted up to a little past `enough`. */
        long count(Range range, long enough) {
            if (range == null) {
                return size;
            }
            long count = undated.size();
            for (Set<P> set : range.of(byDate).values()) {
                if (count > enough) {
                    break;
                }
                count += set.size();
            }
            return count;
        }

        /** Undated documents always (a range on dates cannot be judged for them here), dated ones in range. */
        void collect(Range range, List<P> into) {
            into.addAll(undated);
            NavigableMap<Instant, Set<P>> dated = range == null ? byDate : range.of(byDate);
            for (Set<P> set : dated.values()) {
                into.addAll(set);
            }
        }
    }

    /** Which first-field values a query clause allows: listed strings, or every string with a prefix. */
    private record Selection(List<String> values, String prefix) {

        static Selection of(Object clause) {
            if (clause instanceof String value) {
                return new Selection(List.of(value), null);
            }
            if (!(clause instanceof Document operators)) {
                return null;
            }
            // Every operator of a clause must hold, so any one that pins the field is enough to narrow by.
            if (operators.get("$eq") instanceof String value) {
                return new Selection(List.of(value), null);
            }
            if (operators.get("$in") instanceof Collection<?> listed && !listed.isEmpty()
                && listed.stream().allMatch(String.class::isInstance)) {
                return new Selection(listed.stream().map(String.class::cast).distinct().toList(), null);
            }
            Object options = operators.get("$options");
            if (operators.get("$regex") instanceof String pattern && (options == null || "".equals(options))) {
                String prefix = RegexPrefix.of(pattern);
                return prefix == null ? null : new Selection(null, prefix);
            }
            return null;
        }
    }

    /** Date bounds of a second-field clause (inclusive: the collection's match applies the exact ones). */
    private record Range(Instant low, Instant high) {

        static Range of(Object clause) {
            if (!(clause instanceof Document operators)) {
                return null;
            }
            Instant low = firstInstant(operators.get("$gte"), operators.get("$gt"));
            Instant high = firstInstant(operators.get("$lte"), operators.get("$lt"));
            return low == null && high == null ? null : new Range(low, high);
        }

        private static Instant firstInstant(Object a, Object b) {
            return a instanceof Instant instant ? instant : b instanceof Instant other ? other : null;
        }

        <V> NavigableMap<Instant, V> of(NavigableMap<Instant, V> byDate) {
            if (low != null && high != null) {
                return low.isAfter(high) ? new TreeMap<>() : byDate.subMap(low, true, high, true);
            }
            return low != null ? byDate.tailMap(low, true) : byDate.headMap(high, true);
        }
    }
}
