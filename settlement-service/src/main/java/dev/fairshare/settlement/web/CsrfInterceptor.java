package dev.fairshare.settlement.web;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;

/** Checks the CSRF form field of every POST method of a {@link CsrfProtected} resource. */
@CsrfProtected
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE)
public class CsrfInterceptor {
    @Inject Session session;

    @AroundInvoke
    Object check(InvocationContext invocation) throws Exception {
        Method method = invocation.getMethod();
        if (method.isAnnotationPresent(POST.class)) {
            int field = csrfParameter(method);
            Object submitted = field < 0 ? null : invocation.getParameters()[field];
            session.requireCsrf(submitted instanceof String s ? s : null);
        }
        return invocation.proceed();
    }

    /** The index of the {@code @FormParam("csrf")} parameter of {@code method}, or -1. */
    static int csrfParameter(Method method) {
        Annotation[][] annotations = method.getParameterAnnotations();
        for (int i = 0; i < annotations.length; i++) {
            for (Annotation a : annotations[i]) {
                if (a instanceof FormParam f && Session.CSRF_FIELD.equals(f.value())) {
                    return i;
                }
            }
        }
        return -1;
    }
}
