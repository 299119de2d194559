package dev.fairshare.registry.auth;

import dev.fairshare.registry.api.Checks;
import dev.fairshare.registry.api.Dto;
import dev.fairshare.registry.api.ProblemException;
import dev.fairshare.registry.domain.Account;
import dev.fairshare.registry.domain.ApiKey;
import dev.fairshare.registry.domain.Maker;
import dev.fairshare.registry.domain.Platform;
import dev.fairshare.registry.service.Audit;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Accounts, platform API keys, and the exchange of either for a signed access token. */
@ApplicationScoped
public class AuthService {
    private static final Logger LOG = Logger.getLogger(AuthService.class);
    static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$");
    static final int MIN_PASSWORD = 12;

    private final String issuer;
    private final Duration lifespan;
    private final String adminUsername;
    private final Optional<String> adminPassword;
    private final Audit audit;

    public AuthService(
            Audit audit,
            @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
            @ConfigProperty(name = "fairshare.token.lifespan", defaultValue = "PT15M")
                    Duration lifespan,
            @ConfigProperty(name = "fairshare.admin.username", defaultValue = "admin")
                    String adminUsername,
            @ConfigProperty(name = "fairshare.admin.password") Optional<String> adminPassword) {
        this.issuer = issuer;
        this.lifespan = lifespan;
        this.adminUsername = adminUsername;
        this.adminPassword = adminPassword;
        this.audit = audit;
    }

    /** Creates the initial admin from configuration when it does not exist yet. */
    @Transactional
    void onStart(@Observes StartupEvent event) {
        if (Account.findById(adminUsername) != null) {
            return;
        }
        if (adminPassword.isEmpty() || adminPassword.get().isBlank()) {
            LOG.warnf(
                    "no account '%s' and no FAIRSHARE_ADMIN_PASSWORD: nobody can onboard makers"
                            + " or platforms until one is configured",
                    adminUsername);
            return;
        }
        Account admin = new Account();
        admin.username = adminUsername;
        admin.passwordHash = Passwords.hash(adminPassword.get());
        admin.role = Roles.ADMIN;
        admin.createdAt = Instant.now();
        admin.persist();
        audit.recordAs(
                "system",
                "SYSTEM",
                "account",
                admin.username,
                "CREATE",
                null,
                view(admin),
                "the initial admin from configuration",
                Audit.Parties.of(null, null));
        LOG.infof("created the initial admin account '%s' from configuration", adminUsername);
    }

    /** A username and password, or an API key, exchanged for a token; 401 for anything else. */
    @Transactional
    public Dto.TokenResponse token(Dto.TokenRequest req) {
        Checks.body(req);
        if (req.apiKey() != null) {
            ApiKey key = ApiKey.find("keyHash", Passwords.sha256(req.apiKey())).firstResult();
            if (key == null || key.revokedAt != null) {
                throw invalid();
            }
            return sign(
                    "platform:" + key.platformId + ":key:" + key.id,
                    Roles.PLATFORM,
                    null,
                    key.platformId);
        }
        Checks c = new Checks();
        c.present("username", req.username());
        c.present("password", req.password());
        if (!c.ok()) {
            c.add("apiKey", "MISSING_FIELD", "give username and password, or apiKey");
        }
        c.throwIfAny();
        Account account = Account.findById(req.username());
        boolean ok =
                Passwords.matches(req.password(), account == null ? null : account.passwordHash);
        if (!ok) {
            throw invalid();
        }
        return sign(account.username, account.role, account.makerId, account.platformId);
    }

    private Dto.TokenResponse sign(String subject, String role, String makerId, String platformId) {
        var claims =
                Jwt.issuer(issuer)
                        .subject(subject)
                        .upn(subject)
                        .groups(Set.of(role))
                        .expiresIn(lifespan);
        if (makerId != null) {
            claims.claim("makerId", makerId);
        }
        if (platformId != null) {
            claims.claim("platformId", platformId);
        }
        return new Dto.TokenResponse(claims.sign(), "Bearer", lifespan.toSeconds());
    }

    private static ProblemException invalid() {
        return new ProblemException(
                401, "INVALID_CREDENTIALS", "unknown username or password, or an invalid API key");
    }

    @Transactional
    public Dto.AccountView createAccount(Dto.AccountRequest req) {
        Checks.body(req);
        Checks c = new Checks();
        if (c.present("username", req.username()) && !USERNAME.matcher(req.username()).matches()) {
            c.add("username", "INVALID_ID", "username must match " + USERNAME.pattern());
        }
        if (c.present("password", req.password()) && req.password().length() < MIN_PASSWORD) {
            c.add(
                    "password",
                    "WEAK_PASSWORD",
                    "password must have at least " + MIN_PASSWORD + " characters");
        }
        if (c.present("role", req.role()) && !Roles.known(req.role())) {
            c.add("role", "INVALID_ROLE", "role must be PLATFORM, MAKER, FINANCE or ADMIN");
        }
        boolean maker = Roles.MAKER.equals(req.role());
        boolean platform = Roles.PLATFORM.equals(req.role());
        if (maker && c.present("makerId", req.makerId()) && Maker.findById(req.makerId()) == null) {
            c.add("makerId", "UNKNOWN_MAKER", "maker '" + req.makerId() + "' does not exist");
        }
        if (!maker && req.makerId() != null) {
            c.add("makerId", "NOT_ALLOWED", "only a MAKER account names a maker");
        }
        if (platform
                && c.present("platformId", req.platformId())
                && Platform.findById(req.platformId()) == null) {
            c.add(
                    "platformId",
                    "UNKNOWN_PLATFORM",
                    "platform '" + req.platformId() + "' does not exist");
        }
        if (!platform && req.platformId() != null) {
            c.add("platformId", "NOT_ALLOWED", "only a PLATFORM account names a platform");
        }
        c.throwIfAny();
        if (Account.findById(req.username()) != null) {
            throw new ProblemException(
                    409, "DUPLICATE_ID", "account '" + req.username() + "' already exists");
        }
        Account a = new Account();
        a.username = req.username();
        a.passwordHash = Passwords.hash(req.password());
        a.role = req.role();
        a.makerId = req.makerId();
        a.platformId = req.platformId();
        a.createdAt = Instant.now();
        a.persist();
        Dto.AccountView view = view(a);
        audit.record(
                "account",
                a.username,
                "CREATE",
                null,
                view,
                null,
                Audit.Parties.of(a.makerId, a.platformId));
        return view;
    }

    public List<Dto.AccountView> accounts() {
        return Account.<Account>findAll(Sort.by("username")).list().stream()
                .map(AuthService::view)
                .toList();
    }

    private static Dto.AccountView view(Account a) {
        return new Dto.AccountView(
                a.username, a.role, a.makerId, a.platformId, a.createdAt.toString());
    }

    /** A new key for the platform: the secret is in this answer and nowhere else. */
    @Transactional
    public Dto.ApiKeyCreated createApiKey(String platformId) {
        if (Platform.findById(platformId) == null) {
            throw ProblemException.notFound("platform", platformId);
        }
        ApiKey key = new ApiKey();
        key.id = Passwords.newKeyId();
        String secret = Passwords.newApiKey(key.id);
        key.platformId = platformId;
        key.keyHash = Passwords.sha256(secret);
        key.createdAt = Instant.now();
        key.persist();
        audit.record(
                "api-key",
                key.id,
                "CREATE",
                null,
                keyView(key),
                null,
                Audit.Parties.platform(platformId));
        return new Dto.ApiKeyCreated(secret, key.id, platformId, key.createdAt.toString());
    }

    public List<Dto.ApiKeyView> apiKeys(String platformId) {
        if (Platform.findById(platformId) == null) {
            throw ProblemException.notFound("platform", platformId);
        }
        return ApiKey.<ApiKey>list("platformId", Sort.by("createdAt").and("id"), platformId)
                .stream()
                .map(AuthService::keyView)
                .toList();
    }

    /** A key as lists and the audit log show it: never the secret or its hash. */
    private static Dto.ApiKeyView keyView(ApiKey k) {
        return new Dto.ApiKeyView(
                k.id,
                k.platformId,
                k.createdAt.toString(),
                k.revokedAt == null ? null : k.revokedAt.toString());
    }

    /** Revokes a key: it is refused from now on (tokens already issued expire on their own). */
    @Transactional
    public void revokeApiKey(String platformId, String keyId) {
        ApiKey key = ApiKey.findById(keyId);
        if (key == null || !key.platformId.equals(platformId)) {
            throw ProblemException.notFound("API key", keyId);
        }
        if (key.revokedAt == null) {
            Dto.ApiKeyView before = keyView(key);
            key.revokedAt = Instant.now();
            audit.record(
                    "api-key",
                    key.id,
                    "REVOKE",
                    before,
                    keyView(key),
                    null,
                    Audit.Parties.platform(platformId));
        }
    }
}
