package tronusdt.embeddedmongo;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import de.bwaldvogel.mongo.bson.Document;

/**
 * Picks, for one collection, the secondary index that serves a query with the fewest candidates.
 *
 * mongo-java-server asks its indexes in the order they were created and takes the first that can handle the
 * query, so `{wallet, status: {$in: [in flight]}}` would be served by whichever of a wallet index (all of the
 * wallet's history) or a status index (only what is in flight) came first. Each {@link SecondaryIndex} says it
 * can handle a query only when it is this planner's choice. A query that pins a unique field is left to that
 * unique index (at most one candidate).
 */
final class QueryPlanner<P> {

    private final List<SecondaryIndex<P>> indexes = new CopyOnWriteArrayList<>();
    private final Set<String> uniqueFields = ConcurrentHashMap.newKeySet();

    /**
     * Called when an index object is made. mongo-java-server also makes one for every createIndexes of an index
     * that exists already (Mongoose sends them at each start), then drops it unused; only the first of a name,
     * the one the collection keeps and fills, is planned with.
     */
    synchronized void register(SecondaryIndex<P> index) {
        if (indexes.stream().noneMatch(known -> known.getName().equals(index.getName()))) {
            indexes.add(index);
        }
    }

    void unregister(SecondaryIndex<P> index) {
        indexes.remove(index);
    }

    /** A unique single-field index of the collection: a query pinning its field needs no other index. */
    void registerUnique(String field) {
        uniqueFields.add(field);
    }

    /**
     * Planned afresh for every index the collection asks (a handful of map lookups each): a remembered choice
     * could outlive a change of the query document, and an index asked to serve a query it cannot would have
     * no candidates to give.
     */
    SecondaryIndex<P> choose(Document query) {
        for (String field : uniqueFields) {
            if (pinsToOneValue(query.get(field))) {
                return null;
            }
        }
        SecondaryIndex<P> best = null;
        long fewest = Long.MAX_VALUE;
        for (SecondaryIndex<P> index : indexes) {
            long estimate = index.estimate(query, fewest);
            if (estimate >= 0 && estimate < fewest) {
                best = index;
                fewest = estimate;
            }
        }
        return best;
    }

    private static boolean pinsToOneValue(Object clause) {
        return EqualityLookupIndex.isPlainValue(clause);
    }
}
