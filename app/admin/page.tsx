import { AdminPage } from '../../components/pages/admin';

export const metadata = { title: 'Admin · Course' };

export default function Admin() {
  return <AdminPage />;
}
