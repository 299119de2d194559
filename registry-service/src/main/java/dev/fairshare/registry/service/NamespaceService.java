package dev.fairshare.registry.service;

import dev.fairshare.registry.domain.MakerNamespace;
import dev.fairshare.registry.problem.Checks;
import dev.fairshare.registry.problem.ProblemException;
import dev.fairshare.registry.store.MakerNamespaceRepository;
import dev.fairshare.registry.store.MakerRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Makers' namespaces: ref prefixes such as {@code coqui/} that ADMIN grants after checking them. No
 * prefix of one maker equals, contains or is contained in another maker's, ignoring case (an
 * organisation name on Hugging Face or GitHub is not case-sensitive).
 */
@ApplicationScoped
public class NamespaceService {
    /** Path segments of letters, digits, '.', '_' or '-', each ending in '/'. */
    static final Pattern PREFIX =
            Pattern.compile(
                    "^[A-Za-z0-9][A-Za-z0-9._-]{0,95}(/[A-Za-z0-9][A-Za-z0-9._-]{0,95})*/$");

    static final int MAX_PREFIX = 200;

    @Inject MakerRepository makers;
    @Inject MakerNamespaceRepository namespaces;
    @Inject Audit audit;

    @Transactional
    public Dto.NamespaceView grant(String makerId, Dto.NamespaceRequest req) {
        Checks.body(req);
        Checks c = new Checks();
        if (c.present("prefix", req.prefix())
                && (req.prefix().length() > MAX_PREFIX
                        || !PREFIX.matcher(req.prefix()).matches())) {
            c.add(
                    "prefix",
                    "INVALID_PREFIX",
                    "prefix must be path segments of letters, digits, '.', '_' or '-' ending in '/',"
                            + " e.g. coqui/ (at most "
                            + MAX_PREFIX
                            + " characters)");
        }
        c.throwIfAny();
        if (makers.findById(makerId) == null) {
            throw ProblemException.notFound("maker", makerId);
        }
        // grants are rare: one at a time, so that two overlapping grants cannot both pass
        namespaces.lockForGrant();
        String wanted = req.prefix().toLowerCase(Locale.ROOT);
        for (MakerNamespace n : namespaces.listAll()) {
            String held = n.prefix.toLowerCase(Locale.ROOT);
            boolean same = held.equals(wanted);
            boolean overlaps = held.startsWith(wanted) || wanted.startsWith(held);
            if (same || (overlaps && !n.makerId.equals(makerId))) {
                throw new ProblemException(
                        409,
                        "NAMESPACE_TAKEN",
                        "'"
                                + req.prefix()
                                + "' "
                                + (same ? "is" : "overlaps")
                                + " the namespace '"
                                + n.prefix
                                + "' of maker '"
                                + n.makerId
                                + "'");
            }
        }
        MakerNamespace n = new MakerNamespace();
        n.prefix = req.prefix();
        n.makerId = makerId;
        n.createdAt = Instant.now();
        namespaces.persist(n);
        Dto.NamespaceView view = view(n);
        audit.record(
                "namespace", n.prefix, "GRANT", null, view, null, Audit.Parties.maker(makerId));
        return view;
    }

    public Page<Dto.NamespaceView> list(String makerId, int page, int size) {
        Page.check(page, size);
        if (makers.findById(makerId) == null) {
            throw ProblemException.notFound("maker", makerId);
        }
        return Page.of(namespaces.ofMaker(makerId, page, size), page, size, NamespaceService::view);
    }

    /** The maker whose namespace holds {@code ref} (ignoring case), or null. */
    public String ownerOf(String ref) {
        return namespaces.ownerOf(ref);
    }

    private static Dto.NamespaceView view(MakerNamespace n) {
        return new Dto.NamespaceView(n.prefix, n.makerId, Views.instant(n.createdAt));
    }
}
