package tronusdt.embeddedmongo;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;

/** Copies of stored documents, for the collections that must not share them (see {@link CopyOnWriteH2Collection}). */
final class StoredDocuments {

    private StoredDocuments() {
    }

    /**
     * Shallow copies, in order, in a list of their own (the caller may keep a sub-list as a cursor). Shallow is
     * enough because mongo-java-server's updates replace a stored document's values and never change one in place.
     */
    static List<Document> copies(List<Document> documents) {
        List<Document> copies = new ArrayList<>(documents.size());
        for (Document document : documents) {
            copies.add(document == null ? null : document.clone());
        }
        return copies;
    }
}
