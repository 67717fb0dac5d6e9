/**
 * The user-mode side of {@code net use /delete}: the multiple provider router ({@code
 * WNetCancelConnection2}), rdbss4j's network provider ({@code NPCancelConnection}) and the NTSTATUS
 * to Win32 error mapping that {@code net use} prints.
 */
package org.rdbss4j.core.provider;
