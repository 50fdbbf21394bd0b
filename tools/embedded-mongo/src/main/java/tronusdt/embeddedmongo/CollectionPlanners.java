package tronusdt.embeddedmongo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;

/**
 * One database's index factory: unique single-field indexes that also serve queries pinned by their field
 * ({@link EqualityLookupIndex}) and secondary indexes that serve queries at all ({@link SecondaryIndex}), with a
 * {@link QueryPlanner} per collection. Shared by both backends' databases.
 */
final class CollectionPlanners<P> {

    private final Map<String, QueryPlanner<P>> byCollection = new ConcurrentHashMap<>();

    Index<P> unique(String collectionName, Index<P> index, List<IndexKey> keys, boolean sparse) {
        if (keys.size() == 1) {
            planner(collectionName).registerUnique(keys.get(0).getKey());
        }
        return EqualityLookupIndex.widen(index, keys, sparse);
    }

    Index<P> secondary(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
        // MongoDB's sparse option changes which documents an index holds, never a query's answer: ignored here.
        return new SecondaryIndex<>(planner(collectionName), indexName, keys);
    }

    private QueryPlanner<P> planner(String collectionName) {
        return byCollection.computeIfAbsent(collectionName, name -> new QueryPlanner<>());
    }
}
