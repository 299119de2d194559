package dev.fairshare.settlement.web;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource whose form POSTs check the session's CSRF token: each such method takes it as
 * {@code @FormParam(Session.CSRF_FIELD)}, and {@link CsrfInterceptor} checks the value before the
 * method runs. {@link CsrfFilter} refuses a browser POST to any endpoint that is not set up this
 * way.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface CsrfProtected {}
