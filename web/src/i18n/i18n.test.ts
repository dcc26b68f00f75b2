// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, PERMISSION_GROUPS, PERMISSION_KEYS } from '../roles';
import en from './en.json';
import fr from './fr.json';
import { detectLanguage } from './index';

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out[key] = v;
    else Object.assign(out, flatten(v, key));
  }
  return out;
}

const FR = flatten(fr as Tree);
const EN = flatten(en as Tree);

function placeholders(s: string): string[] {
  return [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
}

describe('translations', () => {
  it('has the same keys in French and English', () => {
    expect(Object.keys(FR).filter((k) => !(k in EN))).toEqual([]);
    expect(Object.keys(EN).filter((k) => !(k in FR))).toEqual([]);
  });

  it('has no empty strings', () => {
    for (const [lang, dict] of [['fr', FR], ['en', EN]] as const) {
      const empty = Object.entries(dict).filter(([, v]) => v.trim() === '').map(([k]) => `${lang}:${k}`);
      expect(empty).toEqual([]);
    }
  });

  it('uses the same interpolation variables in both languages', () => {
    const diff = Object.keys(FR).filter((k) => placeholders(FR[k]).join() !== placeholders(EN[k]).join());
    expect(diff).toEqual([]);
  });

  it('labels every permission, permission group and audit action', () => {
    for (const key of PERMISSION_KEYS) {
      expect(FR[`perm.${key}`], key).toBeTruthy();
      expect(EN[`perm.${key}`], key).toBeTruthy();
    }
    for (const g of PERMISSION_GROUPS) {
      expect(FR[`permgroup.${g}`], g).toBeTruthy();
      expect(EN[`permgroup.${g}`], g).toBeTruthy();
    }
    for (const a of AUDIT_ACTIONS) {
      expect(FR[`audit.action.${a}`], a).toBeTruthy();
      expect(EN[`audit.action.${a}`], a).toBeTruthy();
    }
  });

  it('carries the wording of the client guide (FR)', () => {
    const values = new Set(Object.values(FR));
    for (const label of [
      'Bienvenue au tableau de bord de Cam2Drive',
      "Connectez-vous à votre compte et commencez l'aventure",
      'Mot de passe oublié?',
      'SE CONNECTER',
      'Mes Sites',
      'AJOUTER SITE',
      'Nom du site',
      'Fuseau horaire',
      'Adresse',
      'Supprimer Site',
      'Êtes-vous sûr de vouloir supprimer ce site. Pour que le site soit supprimé, aucun enregistreurs ne doit y être associée.',
      'Ajout Site',
      'VALIDER',
      'FERMER',
      'SUPPRIMER',
      'ANNULER',
      'Utilisateurs & Permissions',
      'Rôles',
      'Utilisateurs',
      'Ajouter un rôle',
      'Ajouter utilisateur',
      'Préférences',
      'Changer mot de passe',
      'Se déconnecter',
      'Enregistrement',
      'CHANGER LE MOT DE PASSE',
      "Aucun enregistrement pour l'instant — ajoutez un enregistreur",
      // §2.4, §2.5, §3.1.2 and §3.1.4: detections, the HOLO4 beta and the AI subscription
      'Participez à la BETA HOLO4',
      "Activez les nouveaux algorithmes gratuitement et construisons ensemble l'avenir de la vidéosurveillance intelligente.",
      'Abonnement AI est activé',
      'Recherche',
      'Tout sélectionner',
      'Supprimer tout',
      'Contactez votre revendeur pour activer un abonnement IA, qui vous permettra de consulter vos enregistrements avec les détections IA.',
      "Ce ne sont pas les seuls ; d'autres paquets sont actuellement en cours de développement.",
      // §3 Gérer les Enregistreurs and §4 Gérer les caméras
      'Mes enregistreurs',
      'Mes Caméras',
      'AJOUTER ENREGISTREUR',
      'Ajouter un enregistreur',
      "Configuration rapide et minimaliste de l'enregistreur",
      "Nom de l'enregistreur",
      'Fabricant',
      "Type de l'enregistreur",
      'Recorder (NVR/DVR)',
      'Nombre des caméras',
      'Félicitation ! Votre enregistreur a été bien créé.',
      'Veuillez cliquer sur le bouton ci-dessous pour le configurer.',
      'CONFIGURATION',
      "Détails de l'enregistreur",
      'Limite de conservation des enregistrements',
      'Cette option permet de définir le nombre maximum de jours de stockage des enregistrements vidéo',
      'SAUVEGARDER',
      'Contactez votre revendeur pour mettre à niveau et sécuriser vos enregistrements grâce à une sauvegarde fiable dans le cloud.',
      "Informations sur l'abonnement AI",
      'PASSER',
      'Contactez votre revendeur pour activer un abonnement IA, qui vous permettra de consulter vos enregistrements avec les détections IA.',
      'Liste des caméras',
      'Configurez vos caméras : nom, sauvegarde dans le cloud et algorithmes IA utilisés.',
      'Filtrer',
      'Le numéro de caméra',
      'Nom de caméra',
      'Enregistrement cloud activé',
      'Les Records sont activés dans le Cloud',
      'AI activée',
      "Paramètres de connexion de l'enregistreur au Cloud",
      'DOCUMENTATION',
      'Hôte du serveur',
      'Hôte du serveur FTP ou SFTP',
      'Port SFTP',
      'Port FTP',
      'Port du serveur SFTP ou FTP',
      "Nom d'utilisateur pour le client FTP ou SFTP",
      'Mot de passe pour le client FTP ou SFTP',
      'Caméra Num',
      'NOM DU CAMÉRA',
      'NUMÉRO',
      "NOM DE L'ENREGISTREUR",
      'Utilisateurs autorisés',
    ]) {
      expect(values.has(label), label).toBe(true);
    }
    expect(FR['table.rowsPerPage']).toContain('Lignes par page');
    expect(FR['sites.col.recorders'].toLowerCase()).toBe('enregistreurs');
  });

  it('carries the wording of the installer guide (EN)', () => {
    const values = new Set(Object.values(EN));
    for (const label of [
      'My customers',
      'Add customer',
      'Settings',
      'Account',
      'Preferences',
      'Change password',
      'Log out',
      'Users & Permissions',
      'Add role',
      'Add user',
      'Roles',
      'Users',
      // §3.1.2 Configuration of the virtual drives
      'Device details',
      'Virtual drive details',
      'Channel list',
      'Device to cloud connection settings',
    ]) {
      expect(values.has(label), label).toBe(true);
    }
  });
});

describe('detectLanguage', () => {
  it('prefers an explicit choice, else French browsers get French, others English', () => {
    expect(detectLanguage(['fr-FR', 'en'], null)).toBe('fr');
    expect(detectLanguage(['fr'], null)).toBe('fr');
    expect(detectLanguage(['en-US', 'fr'], null)).toBe('en');
    expect(detectLanguage(['de-DE'], null)).toBe('en');
    expect(detectLanguage([], null)).toBe('en');
    expect(detectLanguage(['de-DE'], 'fr')).toBe('fr');
    expect(detectLanguage(['fr-FR'], 'en')).toBe('en');
    // A link from an e-mail says the language the mail was written in.
    expect(detectLanguage(['en-US'], 'en', 'fr')).toBe('fr');
    expect(detectLanguage(['fr-FR'], null, 'xx')).toBe('fr');
  });
});
