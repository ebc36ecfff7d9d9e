import type { ReactNode } from 'react';
import { Shell } from '../components/shell/shell';
import './globals.css';

export const metadata = { title: 'Course', description: 'Workflows of dependent jobs, on schedule' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Shell>{children}</Shell>
      </body>
    </html>
  );
}
