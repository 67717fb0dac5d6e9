package org.rdbss4j.core;

/**
 * The FileSystemAttributes flags of FileFsAttributeInformation ([MS-FSCC] 2.5.1), as {@link
 * MiniRedirector#queryVolumeAttributes} reports them.
 */
public final class VolumeAttributes {
  public static final int FILE_CASE_SENSITIVE_SEARCH = 0x00000001;
  public static final int FILE_CASE_PRESERVED_NAMES = 0x00000002;
  public static final int FILE_UNICODE_ON_DISK = 0x00000004;
  public static final int FILE_PERSISTENT_ACLS = 0x00000008;
  public static final int FILE_SUPPORTS_SPARSE_FILES = 0x00000040;
  public static final int FILE_NAMED_STREAMS = 0x00040000;
  public static final int FILE_READ_ONLY_VOLUME = 0x00080000;

  private VolumeAttributes() {}
}
