package httpapi

import (
	"fmt"
	"strings"
)

// messages holds every text the API shows a user, in English and French.
var messages = map[string][2]string{
	"internal":                   {"Something went wrong on our side. Please try again.", "Une erreur s'est produite de notre côté. Veuillez réessayer."},
	"invalid":                    {"Some fields are not valid.", "Certains champs ne sont pas valides."},
	"bad_json":                   {"The request is not valid JSON of the expected shape.", "La requête n'est pas un JSON valide de la forme attendue."},
	"too_large":                  {"The request is too large.", "La requête est trop volumineuse."},
	"unauthenticated":            {"Please sign in.", "Veuillez vous connecter."},
	"invalid_credentials":        {"Wrong e-mail or password.", "E-mail ou mot de passe incorrect."},
	"throttled":                  {"Too many failed attempts. Try again in %d seconds.", "Trop de tentatives échouées. Réessayez dans %d secondes."},
	"throttled_one":              {"Too many failed attempts. Try again in %d second.", "Trop de tentatives échouées. Réessayez dans %d seconde."},
	"forbidden":                  {"You don't have permission to do this.", "Vous n'avez pas la permission d'effectuer cette action."},
	"csrf":                       {"Your session's security token is missing or wrong. Reload the page.", "Le jeton de sécurité de votre session est absent ou incorrect. Rechargez la page."},
	"not_found":                  {"Not found.", "Introuvable."},
	"conflict":                   {"This conflicts with existing data.", "Cela entre en conflit avec des données existantes."},
	"busy":                       {"The server is busy. Please try again.", "Le serveur est occupé. Veuillez réessayer."},
	"unavailable":                {"The service is temporarily unavailable.", "Le service est temporairement indisponible."},
	"site_has_recorders":         {"This site still has recorders. Move or delete them before deleting the site.", "Ce site a encore des enregistreurs. Déplacez-les ou supprimez-les avant de supprimer le site."},
	"role_in_use":                {"This role is assigned to at least one user. Remove it from every user before deleting it.", "Ce rôle est attribué à au moins un utilisateur. Retirez-le de tous les utilisateurs avant de le supprimer."},
	"builtin_role":               {"The Admin role can't be changed or deleted.", "Le rôle Admin ne peut être ni modifié ni supprimé."},
	"builtin_role_delete":        {"Built-in roles can't be deleted.", "Les rôles prédéfinis ne peuvent pas être supprimés."},
	"email_taken":                {"An account already uses this e-mail address.", "Un compte utilise déjà cette adresse e-mail."},
	"role_name_taken":            {"A role with this name already exists.", "Un rôle porte déjà ce nom."},
	"permission_not_held":        {"You can't grant a permission you don't have yourself.", "Vous ne pouvez pas accorder une permission que vous n'avez pas vous-même."},
	"self":                       {"You can't do this to your own account.", "Vous ne pouvez pas faire cela sur votre propre compte."},
	"already_active":             {"This user has already set a password.", "Cet utilisateur a déjà défini son mot de passe."},
	"required":                   {"This field is required.", "Ce champ est obligatoire."},
	"too_long":                   {"This is too long.", "C'est trop long."},
	"invalid_email":              {"Enter a valid e-mail address.", "Saisissez une adresse e-mail valide."},
	"invalid_kind":               {"This kind of organisation can't be created here.", "Ce type d'organisation ne peut pas être créé ici."},
	"invalid_timezone":           {"Choose a time zone from the list.", "Choisissez un fuseau horaire dans la liste."},
	"invalid_limit":              {"limit must be between 1 and 500.", "limit doit être compris entre 1 et 500."},
	"unknown_role":               {"Choose an existing role.", "Choisissez un rôle existant."},
	"unknown_permission":         {"Unknown permission.", "Permission inconnue."},
	"invalid_value":              {"This value is not allowed.", "Cette valeur n'est pas autorisée."},
	"wrong_password":             {"The current password is wrong.", "L'ancien mot de passe est incorrect."},
	"passwords_differ":           {"The two passwords differ.", "Les deux mots de passe sont différents."},
	"password_too_short":         {"Use at least 10 characters.", "Utilisez au moins 10 caractères."},
	"password_too_long":          {"This password is too long.", "Ce mot de passe est trop long."},
	"password_is_email":          {"The password must not contain your e-mail address.", "Le mot de passe ne doit pas contenir votre adresse e-mail."},
	"password_too_common":        {"This password is too common. Choose another one.", "Ce mot de passe est trop courant. Choisissez-en un autre."},
	"password_unchanged":         {"The new password must differ from the old one.", "Le nouveau mot de passe doit être différent de l'ancien."},
	"recorder_has_disk":          {"A virtual disk is attached to this recorder. Delete or detach the disk first.", "Un disque virtuel est associé à cet enregistreur. Supprimez ou détachez d'abord le disque."},
	"camera_limit":               {"Your virtual disk's camera limit is reached: turn cloud recording off on another camera first.", "La limite de caméras de votre disque virtuel est atteinte : désactivez d'abord l'enregistrement cloud d'une autre caméra."},
	"no_disk":                    {"This recorder has no virtual disk. Contact your reseller to get one.", "Cet enregistreur n'a pas de disque virtuel. Contactez votre revendeur pour en obtenir un."},
	"camera_has_recordings":      {"Cameras with recordings can't be removed: lower the camera count only over unused channels.", "Les caméras qui ont des enregistrements ne peuvent pas être supprimées : ne réduisez le nombre de caméras que sur des canaux inutilisés."},
	"disk_for_clients":           {"Virtual disks belong to client organisations.", "Les disques virtuels appartiennent aux organisations clientes."},
	"disk_from_reseller":         {"Virtual disks are provided by your reseller.", "Les disques virtuels sont fournis par votre revendeur."},
	"invalid_camera_count":       {"Enter a number of cameras between 1 and 256.", "Saisissez un nombre de caméras entre 1 et 256."},
	"invalid_retention":          {"Enter a number of days between 0 and 3650.", "Saisissez un nombre de jours entre 0 et 3650."},
	"invalid_time":               {"Use a date (2026-02-05), a local time (2026-02-05T08:30) or an RFC 3339 time (2026-02-05T08:30:00Z).", "Utilisez une date (2026-02-05), une heure locale (2026-02-05T08:30) ou une heure RFC 3339 (2026-02-05T08:30:00Z)."},
	"unknown_user":               {"Choose users of this organisation.", "Choisissez des utilisateurs de cette organisation."},
	"channel_disabled":           {"Cloud recording is off for this camera.", "L'enregistrement cloud est désactivé pour cette caméra."},
	"unknown_channel":            {"The file names a camera this recorder doesn't have.", "Le fichier désigne une caméra que cet enregistreur n'a pas."},
	"unknown_path":               {"The file name is not a recording Cam2Drive recognises.", "Le nom du fichier n'est pas un enregistrement reconnu par Cam2Drive."},
	"invalid_path":               {"The path is not allowed (for example it leaves the recorder's folder).", "Le chemin n'est pas autorisé (par exemple il sort du dossier de l'enregistreur)."},
	"empty_file":                 {"The file was empty.", "Le fichier était vide."},
	"incomplete_file":            {"The file arrived incomplete or damaged.", "Le fichier est arrivé incomplet ou endommagé."},
	"disk_full":                  {"The virtual disk is full and doesn't overwrite old recordings.", "Le disque virtuel est plein et n'écrase pas les anciens enregistrements."},
	"file_too_large":             {"The file is larger than the whole virtual disk.", "Le fichier est plus grand que tout le disque virtuel."},
	"recorder_login_failed":      {"Wrong user name or password.", "Nom d'utilisateur ou mot de passe incorrect."},
	"never_renamed":              {"A temporary upload was never renamed to its final name.", "Un envoi temporaire n'a jamais été renommé avec son nom final."},
	"bad_resume_offset":          {"The upload resumed past what was received.", "L'envoi a repris au-delà de ce qui avait été reçu."},
	"server_disk_full":           {"The server's disk is full.", "Le disque du serveur est plein."},
	"credentials_changed":        {"The recorder's credentials were regenerated: log in again with the new ones.", "Les identifiants de l'enregistreur ont été régénérés : reconnectez-vous avec les nouveaux."},
	"upload_in_progress":         {"The same file is being uploaded on another connection.", "Le même fichier est en cours d'envoi sur une autre connexion."},
	"banned":                     {"Too many failed logins from this address: try again later.", "Trop de connexions échouées depuis cette adresse : réessayez plus tard."},
	"too_many_connections":       {"Too many connections from this address.", "Trop de connexions depuis cette adresse."},
	"link_invalid":               {"This link is invalid or has expired. Ask for a new one.", "Ce lien est invalide ou a expiré. Demandez-en un nouveau."},
	"truncated":                  {"The file is incomplete: the recorder's upload was cut.", "Le fichier est incomplet : l'envoi de l'enregistreur a été interrompu."},
	"unreadable_media":           {"The file's video or picture can't be read.", "La vidéo ou l'image du fichier est illisible."},
	"no_video":                   {"The file holds no video.", "Le fichier ne contient pas de vidéo."},
	"unsupported_media":          {"This video format is not supported.", "Ce format vidéo n'est pas pris en charge."},
	"original_missing":           {"The original file is no longer in storage.", "Le fichier d'origine n'est plus dans le stockage."},
	"processing_error":           {"The recording could not be processed.", "L'enregistrement n'a pas pu être traité."},
	"link_expired":               {"This media link has expired. Reload the page.", "Ce lien vers la vidéo a expiré. Rechargez la page."},
	"too_many":                   {"Too many values: choose at most 256.", "Trop de valeurs : choisissez-en 256 au plus."},
	"period_order":               {"The end of the period must come after its start.", "La fin de la période doit être postérieure à son début."},
	"invalid_month":              {"Use a month such as 2026-02.", "Utilisez un mois tel que 2026-02."},
	"invalid_date":               {"Use a date such as 2026-02-05.", "Utilisez une date telle que 2026-02-05."},
	"no_ai_subscription":         {"This client has no active AI subscription. Contact your reseller to get one.", "Ce client n'a pas d'abonnement IA actif. Contactez votre revendeur pour en obtenir un."},
	"ai_camera_limit":            {"Your AI subscription's camera limit is reached: turn AI off on another camera first, or ask your reseller for a larger subscription.", "La limite de caméras de votre abonnement IA est atteinte : désactivez d'abord l'IA d'une autre caméra, ou demandez à votre revendeur un abonnement plus grand."},
	"holo4_needs_ai":             {"Turn AI on for this camera before joining the HOLO4 beta.", "Activez l'IA sur cette caméra avant de rejoindre la bêta HOLO4."},
	"ai_subscription_exists":     {"This client already has an active AI subscription: change it, or cancel it first.", "Ce client a déjà un abonnement IA actif : modifiez-le, ou résiliez-le d'abord."},
	"ai_limit_below_used":        {"More cameras use AI than this limit allows: turn AI off on some cameras first.", "Plus de caméras utilisent l'IA que cette limite ne le permet : désactivez d'abord l'IA de certaines caméras."},
	"ai_subscription_cancelled":  {"This AI subscription is cancelled.", "Cet abonnement IA est résilié."},
	"ai_for_clients":             {"AI subscriptions belong to client organisations.", "Les abonnements IA appartiennent aux organisations clientes."},
	"ai_from_reseller":           {"AI subscriptions are provided by your reseller.", "Les abonnements IA sont fournis par votre revendeur."},
	"unknown_package":            {"Choose packages of the HOLO4 catalogue.", "Choisissez des paquets du catalogue HOLO4."},
	"unknown_algorithm":          {"Choose algorithms of the HOLO4 catalogue.", "Choisissez des algorithmes du catalogue HOLO4."},
	"algorithm_not_subscribed":   {"This algorithm's package is not part of the AI subscription.", "Le paquet de cet algorithme ne fait pas partie de l'abonnement IA."},
	"ai_runtime_missing":         {"The AI model runtime (ONNX Runtime) is not installed on this server.", "Le moteur d'exécution des modèles d'IA (ONNX Runtime) n'est pas installé sur ce serveur."},
	"ai_runtime_missing_install": {"Ask the administrator of this Cam2Drive server to install ONNX Runtime and the AI models (make models, or cam2drive models install), then restart Cam2Drive.", "Demandez à l'administrateur de ce serveur Cam2Drive d'installer ONNX Runtime et les modèles d'IA (make models, ou cam2drive models install), puis de redémarrer Cam2Drive."},
	"ai_models_missing":          {"The AI models are not installed on this server.", "Les modèles d'IA ne sont pas installés sur ce serveur."},
	"ai_models_missing_install":  {"Ask the administrator of this Cam2Drive server to install the AI models (make models, or cam2drive models install), then restart Cam2Drive.", "Demandez à l'administrateur de ce serveur Cam2Drive d'installer les modèles d'IA (make models, ou cam2drive models install), puis de redémarrer Cam2Drive."},
	"ai_unavailable":             {"AI is temporarily unavailable on this server.", "L'IA est temporairement indisponible sur ce serveur."},
	"ai_unavailable_install":     {"Try again later; if it lasts, ask the administrator of this Cam2Drive server to check the AI runtime in its logs.", "Réessayez plus tard ; si cela dure, demandez à l'administrateur de ce serveur Cam2Drive de vérifier le moteur d'IA dans ses journaux."},
}

// message returns the text of key in lang ("fr" or English).
func message(lang, key string) string {
	m, ok := messages[key]
	if !ok {
		m = messages["invalid_value"]
	}
	if lang == "fr" {
		return m[1]
	}
	return m[0]
}

func messagef(lang, key string, args ...any) string { return fmt.Sprintf(message(lang, key), args...) }

// acceptLanguage picks fr or en from an Accept-Language header.
func acceptLanguage(h string) string {
	for _, part := range strings.Split(h, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "fr"):
			return "fr"
		case strings.HasPrefix(tag, "en"):
			return "en"
		}
	}
	return "en"
}
