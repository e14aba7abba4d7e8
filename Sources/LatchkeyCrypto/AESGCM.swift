import CCrypto

/// AES-256-GCM (NIST SP 800-38D) through libcrypto: how private signing keys are sealed
/// before they reach the database.
///
/// A sealed box is `nonce (12) || ciphertext || tag (16)`. The nonce is random for each
/// seal; with a few keys sealed per rotation, a 96-bit random nonce never repeats.
public enum AESGCM {
    public static let keyLength = 32
    static let nonceLength = 12
    static let tagLength = 16

    /// Encrypts and authenticates `plaintext`, binding `associatedData` (which is not
    /// encrypted) so that a box cannot be moved to another record.
    public static func seal(_ plaintext: [UInt8], key: [UInt8], associatedData: [UInt8])
        throws(KeyError) -> [UInt8]
    {
        try seal(
            plaintext, key: key, nonce: SecureRandom.bytes(count: nonceLength),
            associatedData: associatedData)
    }

    /// With a chosen nonce; only tests (with published vectors) choose it.
    static func seal(
        _ plaintext: [UInt8], key: [UInt8], nonce: [UInt8], associatedData: [UInt8]
    ) throws(KeyError) -> [UInt8] {
        precondition(key.count == keyLength && nonce.count == nonceLength)
        guard let context = EVP_CIPHER_CTX_new() else { throw KeyError("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        guard EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, key, nonce) == 1 else {
            throw KeyError("EVP_EncryptInit_ex")
        }

        var length: Int32 = 0
        if !associatedData.isEmpty {
            guard
                EVP_EncryptUpdate(
                    context, nil, &length, associatedData, Int32(associatedData.count)) == 1
            else { throw KeyError("EVP_EncryptUpdate(aad)") }
        }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + 16)
        var total: Int32 = 0
        if !plaintext.isEmpty {
            guard
                EVP_EncryptUpdate(context, &ciphertext, &length, plaintext, Int32(plaintext.count))
                    == 1
            else { throw KeyError("EVP_EncryptUpdate") }
            total = length
        }
        let finished = ciphertext.withUnsafeMutableBufferPointer { buffer in
            EVP_EncryptFinal_ex(context, buffer.baseAddress! + Int(total), &length)
        }
        guard finished == 1 else { throw KeyError("EVP_EncryptFinal_ex") }
        total += length

        var tag = [UInt8](repeating: 0, count: tagLength)
        guard
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagLength), &tag) == 1
        else { throw KeyError("EVP_CTRL_GCM_GET_TAG") }
        return nonce + ciphertext.prefix(Int(total)) + tag
    }

    /// The plaintext of a box sealed under `key` with the same associated data; nil when
    /// the key, the data or any byte of the box differs.
    public static func open(_ box: [UInt8], key: [UInt8], associatedData: [UInt8]) -> [UInt8]? {
        guard key.count == keyLength, box.count >= nonceLength + tagLength else { return nil }
        let nonce = Array(box.prefix(nonceLength))
        var tag = Array(box.suffix(tagLength))
        let ciphertext = Array(box.dropFirst(nonceLength).dropLast(tagLength))

        guard let context = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(context) }
        guard EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, key, nonce) == 1 else {
            return nil
        }
        var length: Int32 = 0
        if !associatedData.isEmpty {
            guard
                EVP_DecryptUpdate(
                    context, nil, &length, associatedData, Int32(associatedData.count)) == 1
            else { return nil }
        }
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var total: Int32 = 0
        if !ciphertext.isEmpty {
            guard
                EVP_DecryptUpdate(
                    context, &plaintext, &length, ciphertext, Int32(ciphertext.count)) == 1
            else { return nil }
            total = length
        }
        guard
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagLength), &tag) == 1
        else { return nil }
        // The tag is checked here: a box changed in any bit fails, and its plaintext
        // (already partly written) is thrown away.
        let verified = plaintext.withUnsafeMutableBufferPointer { buffer in
            EVP_DecryptFinal_ex(context, buffer.baseAddress! + Int(total), &length)
        }
        guard verified > 0 else { return nil }
        return Array(plaintext.prefix(Int(total + length)))
    }
}
