package dev.fairshare.registry.auth;

import dev.fairshare.registry.domain.Account;
import dev.fairshare.registry.domain.ApiKey;
import dev.fairshare.registry.problem.Checks;
import dev.fairshare.registry.problem.ProblemException;
import dev.fairshare.registry.service.Audit;
import dev.fairshare.registry.service.Dto;
import dev.fairshare.registry.store.AccountRepository;
import dev.fairshare.registry.store.ApiKeyRepository;
import dev.fairshare.registry.store.MakerRepository;
import dev.fairshare.registry.store.PlatformRepository;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
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

    @Inject AccountRepository accounts;
    @Inject ApiKeyRepository apiKeys;
    @Inject MakerRepository makers;
    @Inject PlatformRepository platforms;

    @ConfigProperty(name = "mp.jwt.verify.issuer")
    String issuer;

    @ConfigProperty(name = "fairshare.token.audience", defaultValue = "fairshare")
    String audience;

    @Inject LoginThrottle throttle;

    @ConfigProperty(name = "fairshare.token.lifespan", defaultValue = "PT15M")
    Duration lifespan;

    @ConfigProperty(name = "fairshare.admin.username", defaultValue = "admin")
    String adminUsername;

    @ConfigProperty(name = "fairshare.admin.password")
    Optional<String> adminPassword;

    @Inject Audit audit;

    /**
     * Creates the initial admin from configuration when it does not exist yet. A configured
     * password that breaks the password rules stops the start, whether or not the account exists
     * already.
     */
    @Transactional
    void onStart(@Observes StartupEvent event) {
        requireAcceptableAdminPassword(adminPassword);
        if (accounts.findById(adminUsername) != null) {
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
        accounts.persist(admin);
        audit.recordCreatedBySystem(
                "account", admin.username, view(admin), "the initial admin from configuration");
        LOG.infof("created the initial admin account '%s' from configuration", adminUsername);
    }

    /**
     * Refuses (at start) an initial admin password that breaks the rules every password follows.
     */
    static void requireAcceptableAdminPassword(Optional<String> password) {
        if (password.isEmpty() || password.get().isBlank()) {
            return;
        }
        String weakness = Passwords.weakness(password.get());
        if (weakness != null) {
            throw new IllegalStateException(
                    "FAIRSHARE_ADMIN_PASSWORD (fairshare.admin.password) is refused: "
                            + weakness
                            + "; set a real password, e.g. openssl rand -base64 24");
        }
    }

    /**
     * A username and password, or an API key, exchanged for a token; 401 for anything else, 429
     * when the name or the client {@code address} has failed too often (checked before the password
     * is compared).
     */
    @Transactional
    public Dto.TokenResponse token(Dto.TokenRequest req, String address) {
        Checks.body(req);
        if (req.apiKey() != null) {
            LoginThrottle.Attempt attempt = LoginThrottle.apiKey(address);
            throttle.count(attempt);
            ApiKey key = apiKeys.findByHash(Passwords.sha256(req.apiKey()));
            if (key == null || key.revokedAt != null) {
                throw invalid();
            }
            throttle.succeeded(attempt);
            if (accounts.count(
                            "role = ?1 and platformId = ?2 and disabledAt is not null",
                            Roles.PLATFORM,
                            key.platformId)
                    > 0) {
                throw disabled();
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
        LoginThrottle.Attempt attempt = LoginThrottle.user(req.username(), address);
        throttle.count(attempt);
        Account account = accounts.findById(req.username());
        boolean ok =
                Passwords.matches(req.password(), account == null ? null : account.passwordHash);
        if (!ok) {
            throw invalid();
        }
        throttle.succeeded(attempt);
        if (account.disabledAt != null) {
            throw disabled();
        }
        return sign(account.username, account.role, account.makerId, account.platformId);
    }

    private Dto.TokenResponse sign(String subject, String role, String makerId, String platformId) {
        var claims =
                Jwt.issuer(issuer)
                        .subject(subject)
                        .upn(subject)
                        .audience(audience)
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

    /** Told only to a caller that proved the password or key. */
    private static ProblemException disabled() {
        return new ProblemException(
                401, "ACCOUNT_DISABLED", "this account (or its platform's account) is disabled");
    }

    @Transactional
    public Dto.AccountView createAccount(Dto.AccountRequest req) {
        Checks.body(req);
        Checks c = new Checks();
        if (c.present("username", req.username()) && !USERNAME.matcher(req.username()).matches()) {
            c.add("username", "INVALID_ID", "username must match " + USERNAME.pattern());
        }
        if (c.present("password", req.password())) {
            weak(c, "password", req.password());
        }
        if (c.present("role", req.role()) && !Roles.known(req.role())) {
            c.add("role", "INVALID_ROLE", "role must be PLATFORM, MAKER, FINANCE or ADMIN");
        }
        boolean maker = Roles.MAKER.equals(req.role());
        boolean platform = Roles.PLATFORM.equals(req.role());
        if (maker
                && c.present("makerId", req.makerId())
                && makers.findById(req.makerId()) == null) {
            c.add("makerId", "UNKNOWN_MAKER", "maker '" + req.makerId() + "' does not exist");
        }
        if (!maker && req.makerId() != null) {
            c.add("makerId", "NOT_ALLOWED", "only a MAKER account names a maker");
        }
        if (platform
                && c.present("platformId", req.platformId())
                && platforms.findById(req.platformId()) == null) {
            c.add(
                    "platformId",
                    "UNKNOWN_PLATFORM",
                    "platform '" + req.platformId() + "' does not exist");
        }
        if (!platform && req.platformId() != null) {
            c.add("platformId", "NOT_ALLOWED", "only a PLATFORM account names a platform");
        }
        c.throwIfAny();
        if (accounts.findById(req.username()) != null) {
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
        accounts.persist(a);
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
        return accounts.allByUsername().stream().map(AuthService::view).toList();
    }

    private static Dto.AccountView view(Account a) {
        return new Dto.AccountView(
                a.username,
                a.role,
                a.makerId,
                a.platformId,
                a.createdAt.toString(),
                a.disabledAt == null ? null : a.disabledAt.toString());
    }

    private static void weak(Checks c, String field, String password) {
        String weakness = Passwords.weakness(password);
        if (weakness != null) {
            c.add(field, "WEAK_PASSWORD", weakness);
        }
    }

    /**
     * Sets a new password: the account itself proves its old one (counted like a sign-in, so it
     * cannot be guessed faster than one); ADMIN needs none.
     */
    @Transactional
    public void changePassword(
            String username, Dto.PasswordChange req, Caller caller, String address) {
        Checks.body(req);
        boolean admin = caller.is(Roles.ADMIN);
        if (!admin && !username.equals(caller.subject())) {
            throw Caller.forbidden("an account changes its own password only (or ADMIN any)");
        }
        Checks c = new Checks();
        if (c.present("newPassword", req.newPassword())) {
            weak(c, "newPassword", req.newPassword());
        }
        if (!admin) {
            c.present("oldPassword", req.oldPassword());
        }
        c.throwIfAny();
        Account account = accounts.findById(username);
        if (account == null) {
            throw ProblemException.notFound("account", username);
        }
        if (!admin) {
            LoginThrottle.Attempt attempt = LoginThrottle.user(username, address);
            throttle.count(attempt);
            if (!Passwords.matches(req.oldPassword(), account.passwordHash)) {
                throw ProblemException.unprocessable(
                        "WRONG_PASSWORD",
                        "oldPassword",
                        "oldPassword is not this account's password");
            }
            throttle.succeeded(attempt);
        }
        account.passwordHash = Passwords.hash(req.newPassword());
        // the audit entry says that it changed, never what to
        audit.record(
                "account",
                account.username,
                "CHANGE_PASSWORD",
                null,
                null,
                admin && !username.equals(caller.subject()) ? "set by ADMIN" : null,
                Audit.Parties.of(account.makerId, account.platformId));
    }

    /**
     * Disables or enables an account. A disabled account gets no token, and while a PLATFORM
     * account is disabled its platform's API keys get none either. The last enabled ADMIN stays
     * enabled.
     */
    @Transactional
    public Dto.AccountView setDisabled(String username, boolean disable) {
        Account account = accounts.findById(username);
        if (account == null) {
            throw ProblemException.notFound("account", username);
        }
        if (disable == (account.disabledAt != null)) {
            return view(account);
        }
        if (disable
                && Roles.ADMIN.equals(account.role)
                && accounts.count("role = ?1 and disabledAt is null", Roles.ADMIN) <= 1) {
            throw new ProblemException(
                    409, "LAST_ADMIN", "the last enabled ADMIN account cannot be disabled");
        }
        Dto.AccountView before = view(account);
        account.disabledAt = disable ? Instant.now() : null;
        Dto.AccountView after = view(account);
        audit.record(
                "account",
                account.username,
                disable ? "DISABLE" : "ENABLE",
                before,
                after,
                null,
                Audit.Parties.of(account.makerId, account.platformId));
        return after;
    }

    /** A new key for the platform: the secret is in this answer and nowhere else. */
    @Transactional
    public Dto.ApiKeyCreated createApiKey(String platformId) {
        if (platforms.findById(platformId) == null) {
            throw ProblemException.notFound("platform", platformId);
        }
        ApiKey key = new ApiKey();
        key.id = Passwords.newKeyId();
        String secret = Passwords.newApiKey(key.id);
        key.platformId = platformId;
        key.keyHash = Passwords.sha256(secret);
        key.createdAt = Instant.now();
        apiKeys.persist(key);
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
        if (platforms.findById(platformId) == null) {
            throw ProblemException.notFound("platform", platformId);
        }
        return apiKeys.ofPlatform(platformId).stream().map(AuthService::keyView).toList();
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
        ApiKey key = apiKeys.findById(keyId);
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
