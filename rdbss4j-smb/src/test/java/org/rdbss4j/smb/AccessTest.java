package org.rdbss4j.smb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.mssmb2.SMB2CreateAction;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2CreateOptions;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.protocol.commons.EnumWithValue;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.CreateResult;
import org.rdbss4j.core.FileAccess;
import org.rdbss4j.core.RxException;

class AccessTest {

  @Test
  void genericRightsBecomeTheSpecificRightsOfAFile() {
    assertThat(Access.specificRights(Access.GENERIC_ALL)).isEqualTo(0x0013019F);
    assertThat(Access.specificRights(Access.GENERIC_READ)).isEqualTo(Access.FILE_GENERIC_READ);
    assertThat(Access.specificRights(Access.GENERIC_WRITE))
        .isEqualTo(Access.FILE_GENERIC_WRITE | FileAccess.FILE_READ_ATTRIBUTES);
    assertThat(Access.specificRights(FileAccess.FILE_WRITE_DATA))
        .isEqualTo(FileAccess.FILE_WRITE_DATA | FileAccess.FILE_READ_ATTRIBUTES);
    assertThat(EnumWithValue.EnumUtils.toLong(Access.accessMask(Access.GENERIC_ALL)))
        .isEqualTo(Access.ALL_USED_BY_FILE_CLIENTS);
    assertThat(Access.specificRights(Access.GENERIC_ALL | Access.FILE_ALL_ACCESS))
        .isEqualTo(Access.FILE_ALL_ACCESS);
    assertThat(Access.accessMask(Access.GENERIC_ALL)).doesNotContain(AccessMask.GENERIC_ALL);
  }

  @Test
  void theCoresReadAndWriteMasksAreSentAsTheyAre() {
    int rw = FileAccess.GENERIC_READ | FileAccess.GENERIC_WRITE;
    assertThat(EnumWithValue.EnumUtils.toLong(Access.accessMask(rw))).isEqualTo(rw & 0xFFFFFFFFL);
  }

  @Test
  void sharingDispositionOptionsAndActionsKeepTheirNtValues() {
    assertThat(Access.shareAccess(FileAccess.FILE_SHARE_READ | FileAccess.FILE_SHARE_DELETE))
        .containsExactlyInAnyOrder(
            SMB2ShareAccess.FILE_SHARE_READ, SMB2ShareAccess.FILE_SHARE_DELETE);
    assertThat(Access.shareAccess(0)).isEmpty();
    assertThat(Access.disposition(FileAccess.FILE_OVERWRITE_IF))
        .isEqualTo(SMB2CreateDisposition.FILE_OVERWRITE_IF);
    assertThat(
            Access.createOptions(FileAccess.FILE_DIRECTORY_FILE | FileAccess.FILE_DELETE_ON_CLOSE))
        .containsExactlyInAnyOrder(
            SMB2CreateOptions.FILE_DIRECTORY_FILE, SMB2CreateOptions.FILE_DELETE_ON_CLOSE);
    assertThat(Access.action(SMB2CreateAction.FILE_CREATED)).isEqualTo(CreateResult.Action.CREATED);
    assertThat(Access.action(SMB2CreateAction.FILE_OVERWRITTEN))
        .isEqualTo(CreateResult.Action.OVERWRITTEN);
  }

  @Test
  void valuesSmb2CannotCarryAreInvalidParameters() {
    assertThatThrownBy(() -> Access.disposition(6)).isInstanceOf(RxException.class);
    assertThatThrownBy(() -> Access.createOptions(0x80000000)).isInstanceOf(RxException.class);
  }
}
